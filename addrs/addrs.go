// Package addrs reads and writes the addresses dwctl gives what it manages: objects
// (table_map.customers), instances of a for_each block (company.all["USMF"]) and the data
// operations on an object (initial_sync.table_map.customers, bootstrap.company.USMF). Plans, state,
// the journal and the CLI keep addresses as text; every part of dwctl that builds or takes one
// apart does it here.
//
// Import rule: only none
package addrs

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the block type of an object.
type Kind string

// The kinds of objects.
const (
	Environment    Kind = "environment"
	Link           Kind = "link"
	Company        Kind = "company"
	IntegrationKey Kind = "integration_key"
	TableMap       Kind = "table_map"
	NumberSequence Kind = "number_sequence"
)

var kinds = []Kind{Environment, Link, Company, IntegrationKey, TableMap, NumberSequence}

// Op is a data operation on an object.
type Op string

// The data operations.
const (
	InitialSync Op = "initial_sync" // a map's initial sync (or dwctl's copy)
	Bootstrap   Op = "bootstrap"    // giving a company's Dataverse rows their company
)

var ops = []Op{InitialSync, Bootstrap}

// Object is the address of an object, or of one instance of a for_each block when Keyed.
type Object struct {
	Kind  Kind
	Name  string // the block's label
	Key   string // the for_each key of an instance
	Keyed bool
}

// NewObject is the address kind.name.
func NewObject(kind Kind, name string) Object { return Object{Kind: kind, Name: name} }

// Instance is the address kind.name["key"].
func Instance(kind Kind, name, key string) Object {
	return Object{Kind: kind, Name: name, Key: key, Keyed: true}
}

// String renders the address as dwctl shows it.
func (o Object) String() string {
	if o.Keyed {
		return string(o.Kind) + "." + o.Name + "[" + strconv.Quote(o.Key) + "]"
	}
	return string(o.Kind) + "." + o.Name
}

// Contains reports whether the address o, used as a -target, names other: the same object, or
// every instance of a for_each block when o has no key.
func (o Object) Contains(other Object) bool {
	if o.Kind != other.Kind || o.Name != other.Name {
		return false
	}
	return !o.Keyed || (other.Keyed && o.Key == other.Key)
}

// Address is an object's address, or the address of a data operation on it when Op is set.
type Address struct {
	Op     Op
	Object Object
}

// String renders the address as dwctl shows it.
func (a Address) String() string {
	if a.Op == "" {
		return a.Object.String()
	}
	return string(a.Op) + "." + a.Object.String()
}

// Of is the address of op on the object at object (an object address as text).
func (op Op) Of(object string) string { return string(op) + "." + object }

// Parse reads an address.
func Parse(s string) (Address, error) {
	var a Address
	rest := s
	for _, op := range ops {
		if r, ok := strings.CutPrefix(s, string(op)+"."); ok {
			a.Op, rest = op, r
			break
		}
	}
	o, err := ParseObject(rest)
	if err != nil {
		return Address{}, fmt.Errorf("%q is not an address: %w", s, err)
	}
	a.Object = o
	return a, nil
}

// ParseObject reads an object address: kind.name or kind.name["key"].
func ParseObject(s string) (Object, error) {
	kind, rest, ok := strings.Cut(s, ".")
	if !ok || !knownKind(Kind(kind)) {
		return Object{}, fmt.Errorf("it does not start with a kind of object (%s)", kindList())
	}
	o := Object{Kind: Kind(kind), Name: rest}
	if i := strings.IndexByte(rest, '['); i >= 0 {
		if !strings.HasSuffix(rest, "]") {
			return Object{}, fmt.Errorf("the key of %s has no closing ]", rest[:i])
		}
		key, err := strconv.Unquote(rest[i+1 : len(rest)-1])
		if err != nil {
			return Object{}, fmt.Errorf("the key of %s is not a quoted string", rest[:i])
		}
		o.Name, o.Key, o.Keyed = rest[:i], key, true
	}
	if !validName(o.Name) {
		return Object{}, fmt.Errorf("%q is not a block label (letters, digits, _ and -, not starting with a digit)", o.Name)
	}
	return o, nil
}

// ObjectOf returns the object an address (an object's, or a data operation's) works on, as text;
// text that is no address is returned as it is.
func ObjectOf(s string) string {
	a, err := Parse(s)
	if err != nil {
		return s
	}
	return a.Object.String()
}

func knownKind(k Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindList() string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return strings.Join(out, ", ")
}

// validName reports whether s is an HCL identifier, as block labels that are addressed must be.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127:
		case i > 0 && (r == '-' || r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return true
}

// NameOf returns the label of the object an address works on (customers for
// initial_sync.table_map.customers); text that is no address is returned as it is.
func NameOf(s string) string {
	a, err := Parse(s)
	if err != nil {
		return s
	}
	return a.Object.Name
}
