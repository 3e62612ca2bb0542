package view

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
)

// RenderDOT writes the action graph in Graphviz DOT: one node per action,
// an edge from each action to the actions that wait for it.
func RenderDOT(w io.Writer, p *planner.Plan) error {
	var b strings.Builder
	b.WriteString("digraph plan {\n  rankdir = \"LR\";\n  node [shape = \"box\", fontname = \"sans-serif\"];\n")
	for _, a := range p.Actions {
		style := ""
		if a.Destructive {
			style = `, color = "red"`
		}
		label := fmt.Sprintf("%s %s", a.Kind, a.Address)
		if a.Kind.IsData() {
			label += fmt.Sprintf("\n%s rows", planner.Thousands(a.Rows))
		}
		fmt.Fprintf(&b, "  %s [label = %s%s];\n", strconv.Quote(a.ID), strconv.Quote(label), style)
	}
	for _, a := range p.Actions {
		for _, d := range a.DependsOn {
			fmt.Fprintf(&b, "  %s -> %s;\n", strconv.Quote(d), strconv.Quote(a.ID))
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// RenderMapsDOT writes the dependency graph of the table maps of cfg: an
// edge from each map to the maps that depend on it (reference data first).
func RenderMapsDOT(w io.Writer, cfg *config.Config) error {
	var b strings.Builder
	b.WriteString("digraph maps {\n  rankdir = \"LR\";\n  node [shape = \"box\", fontname = \"sans-serif\"];\n")
	for _, addr := range sortedKeys(cfg.TableMaps) {
		m := cfg.TableMaps[addr]
		label := fmt.Sprintf("%s\n%s ↔ %s", addr, m.FinOps, m.Dataverse)
		fmt.Fprintf(&b, "  %s [label = %s];\n", strconv.Quote(addr), strconv.Quote(label))
	}
	for _, addr := range sortedKeys(cfg.TableMaps) {
		for _, d := range cfg.TableMaps[addr].DependsOn {
			fmt.Fprintf(&b, "  %s -> %s;\n", strconv.Quote(d), strconv.Quote(addr))
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
