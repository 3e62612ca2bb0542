package planner

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/state"
	"github.com/google/go-cmp/cmp"
)

func TestSavedRoundTrip(t *testing.T) {
	for name, p := range planCases(t) {
		t.Run(name, func(t *testing.T) {
			cfg := loadConfig(t, baseConfig)
			s, err := NewSaved(p, cfg, state.New(), "0.1.0")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := s.Write(&buf, nil); err != nil {
				t.Fatal(err)
			}
			got, err := ReadSaved(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

const secretConfig = `
variable "client_secret" {
  type      = string
  sensitive = true
}
variable "stage" {
  type    = string
  default = "test"
}
`

func TestSavedPlanHoldsNoSecret(t *testing.T) {
	dir := t.TempDir()
	src := secretConfig + strings.Replace(baseConfig,
		`environment "finops" "fo" { url = "https://contoso.operations.dynamics.com" }`,
		`environment "finops" "fo" {
  url = "https://contoso-${var.stage}.operations.dynamics.com"
  auth {
    tenant_id     = "literal-tenant-4711"
    client_id     = "literal-client-0815"
    client_secret = var.client_secret
  }
}`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{Vars: []config.VarArg{{Value: "client_secret=s3cr3t-Value-99"}}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	secrets := cfg.SensitiveValues()
	if len(secrets) < 3 {
		t.Fatalf("sensitive values %d, want the secret and the auth ids", len(secrets))
	}
	p, _ := Build(cfg, map[string]*Live{"main": baseLive()}, nil, Options{})
	s, err := NewSaved(p, cfg, nil, "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Write(&buf, secrets); err != nil {
		t.Fatal(err)
	}
	for _, sv := range secrets {
		if bytes.Contains(buf.Bytes(), []byte(sv)) {
			t.Errorf("the saved plan contains a sensitive value of %d characters", len(sv))
		}
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"stage": "test"`)) {
		t.Errorf("the non-sensitive variable is missing:\n%s", buf.String())
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"client_secret"`)) {
		t.Errorf("the sensitive variable is not named")
	}
}

func TestSavedWriteRefusesSecrets(t *testing.T) {
	p := &Plan{Objects: map[string]*Object{"company.X": {Address: "company.X", Desired: &Attributes{Company: &CompanyAttrs{ID: "X", Name: "hunter2"}}}}}
	s := &Saved{FormatVersion: SavedFormatVersion, Plan: p}
	if err := s.Write(&bytes.Buffer{}, []string{"hunter2"}); err == nil {
		t.Fatal("a plan holding a secret was written")
	}
}

func TestStale(t *testing.T) {
	cfg := loadConfig(t, strings.Replace(baseConfig, "customertypecode eq 3", "customertypecode eq 4", 1))
	st := state.New()
	st.Serial = 3
	p, _ := Build(cfg, map[string]*Live{"main": baseLive()}, st, Options{})
	s, err := NewSaved(p, cfg, st, "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		serial uint64
		live   func(*Live)
		want   []string
	}{
		"nothing changed": {serial: 3},
		"serial moved":    {serial: 4, want: []string{"the state changed since the plan was made (serial 4, the plan was made at 3)"}},
		"touched object changed": {serial: 3, live: func(l *Live) { l.Maps[1].Definition.FinOpsFilter = `((PartyType == "Person"))` },
			want: []string{"table_map.customers changed since the plan was made"}},
		"touched object gone": {serial: 3, live: func(l *Live) { l.Maps = l.Maps[:1] },
			want: []string{"table_map.customers no longer exists"}},
		"untouched object changed": {serial: 3, live: func(l *Live) { l.Companies[0].Name = "Renamed meanwhile" }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			now := st.Clone()
			now.Serial = tc.serial
			l := baseLive()
			if tc.live != nil {
				tc.live(l)
			}
			err := Stale(s, now, map[string]*Live{"main": l})
			var got []string
			var se *StaleError
			if errors.As(err, &se) {
				got = se.Reasons
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadSavedRefuses(t *testing.T) {
	tests := map[string]string{
		"not json":       "plan",
		"other format":   `{"format_version": 2, "plan": {}}`,
		"no plan":        `{"format_version": 1}`,
		"unknown field":  `{"format_version": 1, "plan": {}, "extra": 1}`,
		"bad dependency": `{"format_version": 1, "plan": {"actions": [{"id": "a", "depends_on": ["b"]}]}}`,
		"duplicate":      `{"format_version": 1, "plan": {"actions": [{"id": "a"}, {"id": "a"}]}}`,
		"null action":    `{"format_version": 1, "plan": {"actions": [null]}}`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadSaved(strings.NewReader(src)); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// TestSavedDigest: a saved plan with one byte of an action changed, or its actions replaced by
// null, is refused; the untouched file reads.
func TestSavedDigest(t *testing.T) {
	p := planCases(t)["first"]
	s, err := NewSaved(p, loadConfig(t, baseConfig), state.New(), "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Write(&buf, nil); err != nil {
		t.Fatal(err)
	}
	orig := buf.String()
	i := strings.Index(orig, `"address": "company.`)
	if i < 0 {
		t.Fatal("no company action in the plan")
	}
	j := i + len(`"address": "company.`)
	edited := orig[:j] + "X" + orig[j+1:] // company.USMF → company.XSMF
	start := strings.Index(orig, `"actions": [`)
	end := strings.Index(orig[start:], "\n  ],") + start + len("\n  ]")
	nulled := orig[:start] + `"actions": null` + orig[end:]
	tests := map[string]struct {
		src, want string
	}{
		"untouched":        {src: orig},
		"one byte changed": {src: edited, want: "changed after dwctl wrote it"},
		"actions null":     {src: nulled, want: "no list of actions"},
		"digest removed":   {src: strings.Replace(orig, `"digest": "`+s.Digest+`"`, `"digest": ""`, 1), want: "changed after dwctl wrote it"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ReadSaved(strings.NewReader(tc.src))
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error = %v, want one with %q", err, tc.want)
			}
		})
	}
}

func FuzzReadSaved(f *testing.F) {
	f.Add(`{"format_version": 1, "plan": {"actions": [{"id": "a", "kind": "+"}]}}`)
	f.Add(`{"format_version": 1, "plan": {"objects": {"x": {"desired": {"table_map": {"fields": [{}]}}}}}}`)
	f.Fuzz(func(t *testing.T, src string) {
		s, err := ReadSaved(strings.NewReader(src))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := s.Write(&buf, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSaved(&buf); err != nil {
			t.Fatalf("a plan read once does not read again: %v", err)
		}
	})
}

// planCases are plans of every kind of change, for the saved-plan tests (the view's golden
// renderings are made from the same cases).
func planCases(t *testing.T) map[string]*Plan {
	base := loadConfig(t, baseConfig)
	first, _ := Build(base, map[string]*Live{"main": baseLive()}, nil, Options{})
	st := applied(first)
	build := func(edit func(string) string, live func(*Live), opts Options) *Plan {
		src := baseConfig
		if edit != nil {
			src = edit(src)
		}
		l := baseLive()
		if live != nil {
			live(l)
		}
		p, diags := Build(loadConfig(t, src), map[string]*Live{"main": l}, st, opts)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		return p
	}
	return map[string]*Plan{
		"no_changes": build(nil, nil, Options{}),
		"filter_edit": build(func(s string) string {
			return strings.Replace(s, "customertypecode eq 3", "customertypecode eq 4", 1)
		}, nil, Options{}),
		"field_added": build(func(s string) string {
			return strings.Replace(s, `field "CUSTOMERACCOUNT" "accountnumber" {}`,
				"field \"CUSTOMERACCOUNT\" \"accountnumber\" {}\n  field \"CREDITLIMIT\" \"creditlimit\" {}", 1)
		}, nil, Options{}),
		"pause": build(func(s string) string {
			return strings.Replace(s, `depends_on = [table_map.currencies]`, "depends_on = [table_map.currencies]\n  state = \"paused\"", 1)
		}, nil, Options{}),
		"delete_map": build(func(s string) string {
			i, j := strings.Index(s, `table_map "currencies"`), strings.Index(s, `table_map "customers"`)
			return strings.Replace(s[:i]+s[j:], "depends_on = [table_map.currencies]", "", 1)
		}, nil, Options{}),
		"add_company": build(func(s string) string {
			return s + "company \"USRT\" {\n  link = link.main\n  name = \"Contoso Retail USA\"\n}\n"
		}, nil, Options{}),
		"seed":  build(func(s string) string { return strings.Replace(s, "seed   = 5000", "seed   = 6000", 1) }, nil, Options{}),
		"first": build(nil, func(l *Live) { *l = Live{RowCounts: l.RowCounts} }, Options{}),
		"copy_preview": build(func(s string) string {
			return strings.Replace(s, `master  = "finops"`, "master  = \"finops\"\n    mode    = \"dwctl\"", 1)
		}, func(l *Live) {
			*l = Live{RowCounts: l.RowCounts, Transfers: map[string]*Transfer{"table_map.customers": {
				Companies: map[string]map[string]int64{
					"USMF": {"dataverse_create": 1200, "dataverse_update": 3, "unchanged": 40, "filtered": 7, "errors": 1},
					"USRT": {"dataverse_create": 4, "finops_create": 2}},
				Errors: []string{"[USMF] US-099, usmf to Dataverse: msdyn_customergroupid: no msdyn_customergroup row has msdyn_groupid = \"90\""},
				Rows: []RowChange{
					{Company: "USMF", Side: "dataverse", Kind: "create", Key: "US-001, usmf", Fields: []FieldChange{{Name: "accountnumber", After: "US-001"}, {Name: "name", After: "Adatum"}}},
					{Company: "USMF", Side: "dataverse", Kind: "update", Key: "US-002, usmf", Fields: []FieldChange{{Name: "name", Before: "Old name", After: "Contoso"}}},
				}}}}
		}, Options{}),
		"drift": build(nil, func(l *Live) {
			l.Maps[1].Definition.DataverseFilter = "customertypecode eq 5"
			l.Maps[1].Definition.Fields = l.Maps[1].Definition.Fields[1:]
			l.IntegrationKeys["contact"] = []string{"msdyn_contactpersonid"}
		}, Options{}),
		"relink": build(nil, func(l *Live) {
			l.Link.DataverseEnvironment = "https://fabrikam.crm.dynamics.com"
			l.Maps[0].State = providers.StateStopped
		}, Options{AllowDestroy: true}),
	}
}
