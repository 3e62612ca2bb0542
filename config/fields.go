package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var fieldSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "direction"}, {Name: "value_map"}, {Name: "default"}},
}

// Directions are the allowed values of a field's direction.
var Directions = []string{string(Both), string(ToDataverse), string(ToFinOps)}

func (l *loader) decodeField(b *hcl.Block, s *scope) *Field {
	f := &Field{FinOps: b.Labels[0], Dataverse: b.Labels[1], Direction: Both, DeclRange: b.DefRange}
	content, diags := b.Body.Content(fieldSchema)
	l.diags = append(l.diags, diags...)
	ok := l.checkFieldLabels(b, f)
	dirAttr, hasDir := content.Attributes["direction"]
	if hasDir {
		d, good := s.oneOf(dirAttr, Directions...)
		ok = ok && good
		f.Direction = Direction(d)
	}
	if a, has := content.Attributes["value_map"]; has {
		f.ValueMap = l.decodeValueMap(s, a)
	}
	defAttr, hasDefault := content.Attributes["default"]
	if hasDefault {
		f.Default = l.decodeDefault(s, defAttr, f)
	}
	if !ok {
		return f
	}
	switch {
	case f.FinOps == "" && f.Dataverse == "":
	case f.FinOps == "":
		l.constantField(b, f, dirAttr, hasDefault, ToDataverse, "a constant written into Dataverse")
	case f.Dataverse == "":
		l.constantField(b, f, dirAttr, hasDefault, ToFinOps, "a constant written into F&O")
	}
	return f
}

func (l *loader) checkFieldLabels(b *hcl.Block, f *Field) bool {
	switch {
	case f.FinOps == "" && f.Dataverse == "":
		l.errorf(b.DefRange, "Field maps nothing",
			"A field names an F&O field, a Dataverse column, or both: field \"FOFIELD\" \"dvcolumn\" {}. A constant names one side and sets default.")
		return false
	case f.FinOps != "" && !entityName.MatchString(f.FinOps):
		l.errorf(b.LabelRanges[0], "Invalid F&O field name", "%q is not an F&O field name such as CUSTOMERACCOUNT.", f.FinOps)
		return false
	case f.Dataverse != "" && !lookupPath.MatchString(f.Dataverse):
		l.errorf(b.LabelRanges[1], "Invalid Dataverse column",
			"%q is not a Dataverse column or lookup path (column.keycolumn, or a polymorphic path such as customerid.Account(accountnumber).Contact(msdyn_contactpersonid)).", f.Dataverse)
		return false
	}
	return true
}

// constantField checks a field with one side left empty: it writes its
// default into the other side, one way.
func (l *loader) constantField(b *hcl.Block, f *Field, dirAttr *hcl.Attribute, hasDefault bool, dir Direction, what string) {
	if dirAttr != nil && f.Direction != dir {
		l.errorf(dirAttr.Expr.Range(), "Invalid direction for a constant",
			"A field with an empty side is %s, so its direction can only be %q.", what, dir)
	}
	f.Direction = dir
	if !hasDefault {
		l.errorf(b.DefRange, "Missing default",
			"A field with an empty side is %s: set default = VALUE (the service's \"Default\" transform).", what)
	}
}

// decodeValueMap reads value_map = { source = destination, ... }: keys are
// F&O values, values one primitive type.
func (l *loader) decodeValueMap(s *scope, a *hcl.Attribute) []ValuePair {
	v, ok := s.value(a, cty.DynamicPseudoType)
	if !ok {
		return nil
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		l.errorf(a.Expr.Range(), "Invalid value_map", "value_map is an object of F&O value = Dataverse value, such as { no = 806380000, yes = 806380001 }.")
		return nil
	}
	var out []ValuePair
	var first cty.Type
	for _, k := range mapKeys(v.AsValueMap()) {
		e := v.AsValueMap()[k]
		switch {
		case !e.Type().IsPrimitiveType() || e.IsNull():
			l.errorf(a.Expr.Range(), "Invalid value_map", "The value for %q must be a string, number or bool; it is %s.", k, e.Type().FriendlyName())
			return nil
		case first != cty.NilType && !e.Type().Equals(first):
			l.errorf(a.Expr.Range(), "Invalid value_map",
				"The values of a value_map must all have one type (the destination column's); %q is %s but others are %s.", k, e.Type().FriendlyName(), first.FriendlyName())
			return nil
		}
		first = e.Type()
		out = append(out, ValuePair{FinOps: k, Dataverse: e})
	}
	if len(out) == 0 {
		l.errorf(a.Expr.Range(), "Invalid value_map", "A value_map needs at least one entry; remove it for a plain mapping.")
	}
	return out
}

func (l *loader) decodeDefault(s *scope, a *hcl.Attribute, f *Field) cty.Value {
	v, ok := s.value(a, cty.DynamicPseudoType)
	if !ok {
		return cty.NilVal
	}
	if !v.Type().IsPrimitiveType() {
		l.errorf(a.Expr.Range(), "Invalid default", "default must be a string, number or bool; it is %s.", v.Type().FriendlyName())
		return cty.NilVal
	}
	if len(f.ValueMap) > 0 && !f.ValueMap[0].Dataverse.Type().Equals(v.Type()) {
		l.errorf(a.Expr.Range(), "Invalid default",
			"default is %s, but the value_map writes %s values; give the default in the destination's type.",
			v.Type().FriendlyName(), f.ValueMap[0].Dataverse.Type().FriendlyName())
		return cty.NilVal
	}
	return v
}
