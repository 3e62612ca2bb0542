package config

import (
	"sort"
	"strings"
)

// EntitySetName derives a Dataverse table's default entity set name from
// its logical name, as Dataverse does when a table is created: +es after
// s, x, z, ch or sh; y after a consonant becomes ies; otherwise +s.
// (account → accounts, cdm_company → cdm_companies,
// msdyn_chartofaccounts → msdyn_chartofaccountses.) A table can be given
// another entity set name; `validate -live` checks the real one.
func EntitySetName(logical string) string {
	switch {
	case hasAnySuffix(logical, "s", "x", "z", "ch", "sh"):
		return logical + "es"
	case strings.HasSuffix(logical, "y") && len(logical) > 1 && !strings.ContainsRune("aeiou", rune(logical[len(logical)-2])):
		return logical[:len(logical)-1] + "ies"
	}
	return logical + "s"
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// IsCompanyColumn reports whether a key column is the company column of a
// company-scoped table (msdyn_company.cdm_companycode and its kin), which
// the service adds to the integration key implicitly.
func IsCompanyColumn(col string) bool {
	return strings.HasSuffix(col, ".cdm_companycode")
}

func uniqueSorted(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func sortedStrings(xs []string) []string {
	sort.Strings(xs)
	return xs
}
