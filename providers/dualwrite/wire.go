package dualwrite

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/mapversion"
)

// checker collects the first shape problem of a decoded answer.
type checker struct {
	call string
	err  *ChangedError
}

func (c *checker) fail(field, problem string) {
	if c.err == nil {
		c.err = &ChangedError{Call: c.call, Field: field, Problem: problem}
	}
}

// need records a missing field when ok is false.
func (c *checker) need(field string, ok bool) bool {
	if !ok {
		c.fail(field, "is missing")
	}
	return ok
}

func (c *checker) result() error {
	if c.err != nil {
		return c.err
	}
	return nil
}

// decodeJSON decodes body into v; a body that is not the JSON expected is a changed answer.
func decodeJSON(call string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &ChangedError{Call: call, Field: "(body)", Problem: "is not the JSON expected: " + shorten(err.Error())}
	}
	return nil
}

func shorten(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// code is a numeric code the gateway sends as a string ("4") [O]; a bare number is accepted too.
type code struct {
	set bool
	n   int
	raw string
}

// UnmarshalJSON accepts "4" or 4; anything else keeps the raw text so the checker can name it.
func (c *code) UnmarshalJSON(b []byte) error {
	c.set = string(b) != "null"
	if !c.set {
		return nil
	}
	s := string(b)
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	c.raw = s
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		c.n = -1
		return nil
	}
	c.n = n
	return nil
}

// MarshalJSON writes the code as the gateway does: a string.
func (c code) MarshalJSON() ([]byte, error) { return json.Marshal(strconv.Itoa(c.n)) }

func codeOf(n int) code { return code{set: true, n: n, raw: strconv.Itoa(n)} }

// wireVersion is a template's 4-part version.
type wireVersion struct {
	Major    *int `json:"major"`
	Minor    *int `json:"minor"`
	Build    *int `json:"build"`
	Revision *int `json:"revision"`
}

func (v *wireVersion) check(c *checker, path string) {
	if !c.need(path, v != nil) {
		return
	}
	c.need(path+".major", v.Major != nil)
	c.need(path+".minor", v.Minor != nil)
	c.need(path+".build", v.Build != nil)
	c.need(path+".revision", v.Revision != nil)
}

func (v *wireVersion) String() string {
	return mapversion.String([4]int{*v.Major, *v.Minor, *v.Build, *v.Revision})
}

// parseVersion reads a 4-part version "1.0.0.12".
func parseVersion(s string) (wireVersion, error) {
	v, err := mapversion.Parse(s)
	if err != nil {
		return wireVersion{}, err
	}
	n := mapversion.Parts(v)
	return wireVersion{Major: &n[0], Minor: &n[1], Build: &n[2], Revision: &n[3]}, nil
}
