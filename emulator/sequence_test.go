package emulator

import (
	"net/http"
	"testing"
)

func TestNumberSequenceScopes(t *testing.T) {
	env := startEnv(t, Options{})
	cases := map[string]struct {
		body   string
		status int
	}{
		"shared without a scope value":  {`{"NumberSequenceCode":"Vend_1","ScopeType":"Shared","ScopeValue":"","Smallest":1,"Largest":9999,"Next":1,"Format":"F####"}`, http.StatusCreated},
		"company without a scope value": {`{"NumberSequenceCode":"Acco_1","ScopeType":"DataArea","ScopeValue":"","Smallest":1,"Largest":9999,"Next":1}`, http.StatusInternalServerError},
		"company with its code":         {`{"NumberSequenceCode":"Acco_1","ScopeType":"DataArea","ScopeValue":"USMF","Smallest":1,"Largest":9999,"Next":1}`, http.StatusCreated},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if r := env.do("fo", "POST", "/data/SequenceV2Tables", tc.body); r.status != tc.status {
				t.Errorf("create: %d %s, want %d", r.status, r.body, tc.status)
			}
		})
	}
}
