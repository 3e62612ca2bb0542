package view

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestValidateResult(t *testing.T) {
	cases := diagnosticCases()
	tests := map[string]struct {
		diags            hcl.Diagnostics
		json             bool
		wantOut, wantErr string
	}{
		"valid": {
			wantOut: "Success! The configuration is valid.\n",
		},
		"warnings only": {
			diags:   cases["multiline"],
			wantOut: "Success! The configuration is valid, but there were some validation warnings as shown above.\n",
			wantErr: "Warning: Field block spans lines",
		},
		"errors": {
			diags:   cases["reference"],
			wantErr: "Error: Reference to undeclared link",
		},
		"json valid": {
			json:    true,
			wantOut: `{"valid":true,"error_count":0,"warning_count":0,"diagnostics":[]}` + "\n",
		},
		"json errors": {
			diags: append(cases["no_subject"], cases["multiline"]...),
			json:  true,
			wantOut: `{"valid":false,"error_count":1,"warning_count":1,"diagnostics":[` +
				`{"severity":"error","summary":"No configuration files","detail":"Add a *.dw.hcl file."},`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			v := Validate{Streams: Streams{Out: &out, Err: &errb}, JSON: tc.json}
			if err := v.Result(NewValidateResult(tc.diags, testSources)); err != nil {
				t.Fatal(err)
			}
			gotOut := out.String()
			if tc.json && !json.Valid(out.Bytes()) {
				t.Fatalf("stdout is not JSON: %s", gotOut)
			}
			if len(gotOut) > len(tc.wantOut) && tc.json {
				gotOut = gotOut[:len(tc.wantOut)]
			}
			if d := cmp.Diff(tc.wantOut, gotOut); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if !bytes.Contains(errb.Bytes(), []byte(tc.wantErr)) || (tc.wantErr == "") != (errb.Len() == 0) {
				t.Errorf("stderr = %q, want it to contain %q", errb.String(), tc.wantErr)
			}
		})
	}
}

func TestFmtChanged(t *testing.T) {
	before, after := []byte("a  = 1\nb = 2\n"), []byte("a = 1\nb = 2\n")
	tests := map[string]struct {
		view Fmt
		want string
	}{
		"list":    {view: Fmt{List: true}, want: "x.dw.hcl\n"},
		"nothing": {view: Fmt{}, want: ""},
		"diff": {view: Fmt{Diff: true}, want: "diff old/x.dw.hcl new/x.dw.hcl\n--- old/x.dw.hcl\n+++ new/x.dw.hcl\n" +
			"@@ -1,2 +1,2 @@\n-a  = 1\n+a = 1\n b = 2\n"},
		"diff colour": {view: Fmt{Diff: true, Streams: Streams{OutColor: true}},
			want: "\x1b[1mdiff old/x.dw.hcl new/x.dw.hcl\x1b[0m\n\x1b[1m--- old/x.dw.hcl\x1b[0m\n\x1b[1m+++ new/x.dw.hcl\x1b[0m\n" +
				"@@ -1,2 +1,2 @@\n\x1b[31m-a  = 1\x1b[0m\n\x1b[32m+a = 1\x1b[0m\n b = 2\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			tc.view.Out = &out
			if err := tc.view.Changed("x.dw.hcl", before, after); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, out.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestVersionShow(t *testing.T) {
	info := VersionInfo{Version: "0.1.0", Revision: "abc123", GoVersion: "go1.26.8", Platform: "linux_amd64"}
	tests := map[string]struct {
		json bool
		want string
	}{
		"text": {want: "dwctl v0.1.0 (abc123)\non linux_amd64, built with go1.26.8\n"},
		"json": {json: true, want: `{"version":"0.1.0","revision":"abc123","go_version":"go1.26.8","platform":"linux_amd64"}` + "\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			if err := (Version{Streams: Streams{Out: &out}, JSON: tc.json}).Show(info); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, out.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestDiagnosticTextWraps(t *testing.T) {
	d := Diagnostic{Severity: "error", Summary: "S",
		Detail: "one two three four five six seven eight nine ten\n    preformatted line that stays as it is, however long"}
	tests := map[string]struct {
		width int
		want  string
	}{
		"no width": {want: "╷\n│ Error: S\n│\n│ one two three four five six seven eight nine ten\n" +
			"│     preformatted line that stays as it is, however long\n╵\n\n"},
		"narrow": {width: 24, want: "╷\n│ Error: S\n│\n│ one two three four\n│ five six seven eight\n│ nine ten\n" +
			"│     preformatted line that stays as it is, however long\n╵\n\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := (DiagnosticText{W: &b, Width: tc.width}).WriteOne(d); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
