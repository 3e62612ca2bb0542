package numbering

import (
	"fmt"
	"strings"
)

// The F&O number sequence scopes.
const (
	ScopeShared        = "shared"
	ScopeCompany       = "company"
	ScopeLegalEntity   = "legal_entity"
	ScopeOperatingUnit = "operating_unit"
)

// FinOpsSequence is an F&O number sequence as declared.
type FinOpsSequence struct {
	Code    string // NumberSequenceCode, e.g. "Acco_1"
	Scope   string // one of the Scope constants
	Company string // the company (legal entity) of a company or legal_entity scope
	Format  string // e.g. "US####"
	// Smallest and Largest bound the numbers the sequence hands out.
	Smallest, Largest int64
}

// Name names the sequence in messages: "F&O sequence Acco_1 (USMF)".
func (s FinOpsSequence) Name() string {
	where := s.Company
	if !s.companyBound() || where == "" {
		where = strings.ReplaceAll(s.Scope, "_", " ")
	}
	if where == "" {
		return "F&O sequence " + s.Code
	}
	return fmt.Sprintf("F&O sequence %s (%s)", s.Code, where)
}

// companyBound reports whether the sequence numbers one company only. A
// company-scoped sequence restarts in every company, so the same values
// appear in each; a shared one (and, conservatively, an operating-unit one,
// since operating units cut across companies) reaches every company.
func (s FinOpsSequence) companyBound() bool {
	return s.Scope == ScopeCompany || s.Scope == ScopeLegalEntity
}

// reaches reports whether two sequences can give values to rows of the same
// company.
func (s FinOpsSequence) reaches(o FinOpsSequence) bool {
	if !s.companyBound() || !o.companyBound() {
		return true
	}
	return strings.EqualFold(s.Company, o.Company)
}

// same reports whether both declare the one sequence (code and scope).
func (s FinOpsSequence) same(o FinOpsSequence) bool {
	return strings.EqualFold(s.Code, o.Code) && s.Scope == o.Scope &&
		(!s.companyBound() || strings.EqualFold(s.Company, o.Company))
}

// CheckScope returns an error unless scope is one of the Scope constants.
func CheckScope(scope string) error {
	switch scope {
	case ScopeShared, ScopeCompany, ScopeLegalEntity, ScopeOperatingUnit:
		return nil
	}
	return fmt.Errorf("scope %q is not one of shared, company, legal_entity, operating_unit", scope)
}

// Language parses the sequence's format and returns the values it produces.
func (s FinOpsSequence) Language() (*Language, error) {
	f, err := ParseFinOpsFormat(s.Format)
	if err != nil {
		return nil, err
	}
	return f.Language(s.Smallest, s.Largest)
}

// AutoNumber is a Dataverse autonumber column as declared.
type AutoNumber struct {
	Table  string // logical name, e.g. "account"
	Column string // logical name, e.g. "accountnumber"
	Format string // AutoNumberFormat, e.g. "US{SEQNUM:4}"
	Seed   int64  // the next sequence number
}

// Name names the column in messages: "Dataverse account.accountnumber".
func (a AutoNumber) Name() string { return fmt.Sprintf("Dataverse %s.%s", a.Table, a.Column) }

// key identifies the column (logical names are case-insensitive).
func (a AutoNumber) key() string { return strings.ToLower(a.Table + "." + a.Column) }

// Language parses the column's format and returns the values it produces.
func (a AutoNumber) Language() (*Language, error) {
	f, err := ParseAutoNumberFormat(a.Format)
	if err != nil {
		return nil, err
	}
	return f.Language(a.Seed)
}

// Collide decides exactly whether the F&O sequence and the Dataverse
// autonumber can produce the same value (ignoring case), and returns the
// shortest, then smallest, such value. Errors are *ParseError or *RangeError
// from the formats, or an error when the formats are too complex to compare.
func Collide(fo FinOpsSequence, dv AutoNumber) (Witness, bool, error) {
	a, err := fo.Language()
	if err != nil {
		return Witness{}, false, fmt.Errorf("%s: %w", fo.Name(), err)
	}
	b, err := dv.Language()
	if err != nil {
		return Witness{}, false, fmt.Errorf("%s: %w", dv.Name(), err)
	}
	return Intersect(a, b)
}
