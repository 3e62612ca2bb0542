package config

import "sort"

// declared is an object with a declaration range and an address.
type declared interface {
	*Company | *TableMap | *IntegrationKey | *NumberSequence | *Link
}

// bySource returns the values of m ordered by where they are declared,
// then by address (instances of one for_each block share a position).
func bySource[T declared](m map[string]T) []T {
	out := make([]T, 0, len(m))
	addrs := make(map[any]string, len(m))
	for addr, v := range m {
		out = append(out, v)
		addrs[any(v)] = addr
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := declRange(out[i]), declRange(out[j])
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Byte != b.Start.Byte {
			return a.Start.Byte < b.Start.Byte
		}
		return addrs[any(out[i])] < addrs[any(out[j])]
	})
	return out
}
