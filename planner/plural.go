package planner

import (
	"fmt"
	"sort"
	"strings"
)

// Plural writes a count with its noun, in the singular for one: "1 action",
// "3 actions", "2 companies".
func Plural(n int, singular string) string {
	if n == 1 {
		return "1 " + singular
	}
	return fmt.Sprintf("%d %s", n, pluralOf(singular))
}

func pluralOf(s string) string {
	switch {
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"):
		return s + "es"
	}
	return s + "s"
}

// kindNouns name the object kinds in sentences.
var kindNouns = map[string]string{"link": "link", "company": "company", "integration_key": "integration key",
	"table_map": "map", "number_sequence": "number sequence"}

// NotManagedSummary is the one line a plan shows for the objects it leaves
// alone: "12 maps and 41 integration keys not managed; -show-unmanaged
// lists them". It is "" when there are none.
func (p *Plan) NotManagedSummary() string {
	if len(p.NotManaged) == 0 {
		return ""
	}
	counts := map[string]int{}
	for _, n := range p.NotManaged {
		counts[n.Kind]++
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return objectRank(kinds[i]) < objectRank(kinds[j]) })
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		noun := kindNouns[k]
		if noun == "" {
			noun = strings.ReplaceAll(k, "_", " ")
		}
		parts[i] = Plural(counts[k], noun)
	}
	list := strings.Join(parts, ", ")
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return list + " not managed by dwctl (left alone); -show-unmanaged lists them"
}
