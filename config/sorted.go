package config

import "sort"

// declared is an object with a declaration range and an address.
type declared interface {
	*Company | *TableMap | *IntegrationKey | *NumberSequence | *Link
}

// bySource returns the values of m ordered by where they are declared,
// then by address (instances of one for_each block share a position).
func bySource[T declared](m map[string]T) []T {
	addrs := mapKeys(m) // sorted, so the stable sort below breaks ties by address
	sort.SliceStable(addrs, func(i, j int) bool {
		a, b := declRange(m[addrs[i]]), declRange(m[addrs[j]])
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	out := make([]T, len(addrs))
	for i, addr := range addrs {
		out[i] = m[addr]
	}
	return out
}
