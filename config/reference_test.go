package config

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestLanguageReferenceCoversTheSchema fails when a block or an attribute
// the loader accepts is not documented in docs/language.md, in the section
// of its top-level block.
func TestLanguageReferenceCoversTheSchema(t *testing.T) {
	src, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	sections := map[string][]*hcl.BodySchema{
		"dwctl":           {settingsSchema},
		"variable":        {variableSchema, validationSchema},
		"locals":          nil,
		"environment":     {environmentSchema, authSchema},
		"link":            {linkSchema, controlSchema, lifecycleSchema, alertSchema},
		"company":         {companySchema, bootstrapSchema},
		"integration_key": {integrationKeySchema},
		"table_map":       {tableMapSchema, initialSyncSchema, filterSchema, fieldSchema},
		"number_sequence": {numberSequenceSchema, finopsSequenceSchema, autoNumberSchema},
	}
	for _, b := range rootSchema.Blocks {
		if _, ok := sections[b.Type]; !ok {
			t.Errorf("top-level block %q has no schema listed in this test", b.Type)
		}
	}
	for block, schemas := range sections {
		text := section(doc, block)
		if text == "" {
			t.Errorf("docs/language.md has no section \"### %s\"", block)
			continue
		}
		for _, s := range schemas {
			for _, a := range s.Attributes {
				if !mentions(text, a.Name) {
					t.Errorf("%s: attribute %q is not documented in its section", block, a.Name)
				}
			}
			for _, nb := range s.Blocks {
				if !mentions(text, nb.Type) {
					t.Errorf("%s: block %q is not documented in its section", block, nb.Type)
				}
			}
		}
	}
	dwctl := section(doc, "dwctl")
	for backend, attrs := range stateSettings {
		if !mentions(dwctl, backend) {
			t.Errorf("dwctl: state backend %q is not documented", backend)
		}
		for a := range attrs {
			if !mentions(dwctl, a) {
				t.Errorf("dwctl: attribute %q of state %q is not documented", a, backend)
			}
		}
	}
}

// section returns the text under "### name" up to the next heading of
// level 2 or 3.
func section(doc, name string) string {
	i := strings.Index(doc, "\n### "+name+"\n")
	if i < 0 {
		return ""
	}
	rest := doc[i+len(name)+6:]
	if j := regexp.MustCompile(`\n#{2,3} `).FindStringIndex(rest); j != nil {
		rest = rest[:j[0]]
	}
	return rest
}

// mentions reports whether text names an attribute or block in code:
// `name`, `name = ...` or `name { ... }`.
func mentions(text, name string) bool {
	return regexp.MustCompile("`" + regexp.QuoteMeta(name) + "(`|[ {=])").MatchString(text)
}
