// Package graph holds the dependency graphs of dwctl: nodes named by strings, an edge a → b meaning
// a depends on b. Graph is the configuration's graph (depends_on and references, checked for
// cycles); Order, Reaches and Closure work on any graph given as a function from a node to its
// dependencies (the planner's actions); Schedule runs a graph's nodes as their dependencies finish
// (the applier's walk). Every result is deterministic: ties follow the order the nodes were given in.
//
// Import rule: only none
package graph
