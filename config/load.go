package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/graph"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// VarArg is one -var or -var-file argument, in command-line order.
type VarArg struct {
	// File is true for -var-file=PATH, false for -var NAME=VALUE.
	File  bool
	Value string
}

// LoadOptions are the inputs of Load besides the directory.
type LoadOptions struct {
	// Vars are the -var and -var-file arguments in command-line order; later
	// ones win.
	Vars []VarArg
	// Environ is the process environment (os.Environ()), read for
	// DWCTL_VAR_<name> and by the env() function. Nil means none.
	Environ []string
	// Version is the running dwctl version, checked against
	// dwctl.required_version; "" skips the check.
	Version string
}

// ConfigSuffix is the file name suffix of configuration files.
const ConfigSuffix = ".dw.hcl"

// rootSchema is the schema of a configuration file's top level.
var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "dwctl"},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "environment", LabelNames: []string{"kind", "name"}},
		{Type: "link", LabelNames: []string{"name"}},
		{Type: "company", LabelNames: []string{"id"}},
		{Type: "integration_key", LabelNames: []string{"table"}},
		{Type: "table_map", LabelNames: []string{"name"}},
		{Type: "number_sequence", LabelNames: []string{"name"}},
	},
}

// loader holds the state of one Load call.
type loader struct {
	cfg     *Config
	parser  *hclparse.Parser
	environ map[string]string
	blocks  map[string]hcl.Blocks // by block type, in file then source order
	diags   hcl.Diagnostics
	vars    map[string]cty.Value // resolved variable values, marked when sensitive
	locals  map[string]cty.Value
	// localsObj is local.* once every local is evaluated.
	localsObj cty.Value
	// varDecls are the declared variables by name.
	varDecls map[string]*variableDecl
	// pendingDeps are depends_on references resolved after decoding.
	pendingDeps []pendingDep
	// version is the running dwctl version, for required_version.
	version string
	// funcs is the function table, built once.
	funcs map[string]function.Function
	// mapsByName indexes the table maps' addresses by block name, built on
	// the first depends_on reference (resolveMapRef).
	mapsByName map[string][]string
}

// Load reads every *.dw.hcl file of dir in name order, resolves variables
// and references, validates the result offline, and returns the Desired
// model. The returned Config is never nil; it may be incomplete when the
// diagnostics hold errors.
func Load(dir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	l := &loader{
		cfg: &Config{
			Dir:             dir,
			Sources:         map[string][]byte{},
			Variables:       map[string]*Variable{},
			Locals:          map[string]cty.Value{},
			Environments:    map[string]*Environment{},
			Links:           map[string]*Link{},
			Companies:       map[string]*Company{},
			IntegrationKeys: map[string]*IntegrationKey{},
			TableMaps:       map[string]*TableMap{},
			NumberSequences: map[string]*NumberSequence{},
			Graph:           graph.New(),
		},
		parser:  hclparse.NewParser(),
		environ: environMap(opts.Environ),
		blocks:  map[string]hcl.Blocks{},
		vars:    map[string]cty.Value{},
		version: opts.Version,
		locals:  map[string]cty.Value{},
	}
	l.readConfigFiles(dir)
	if !l.diags.HasErrors() || len(l.blocks) > 0 {
		l.decodeAll(opts)
	}
	sortDiagnostics(l.diags)
	return l.cfg, l.diags
}

// decodeAll decodes every block kind in dependency order and validates.
func (l *loader) decodeAll(opts LoadOptions) {
	l.declareVariables()
	l.assignVariables(opts)
	l.evalLocals()
	l.decodeSettings()
	l.decodeEnvironments()
	l.decodeLinks()
	l.decodeCompanies()
	l.decodeIntegrationKeys()
	l.decodeTableMaps()
	l.decodeNumberSequences()
	l.buildGraph()
	l.validate()
}

// readConfigFiles parses every configuration file of dir.
func (l *loader) readConfigFiles(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read the configuration directory",
			Detail:   fmt.Sprintf("Reading %s failed: %s.", dir, pathError(err)),
		})
		return
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ConfigSuffix) && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("The directory %s holds no *%s files. Run dwctl in the directory of your configuration, or name it with -chdir=DIR.", displayDir(dir), ConfigSuffix),
		})
		return
	}
	for _, name := range names {
		l.readConfigFile(filepath.Join(dir, name), name)
	}
}

func (l *loader) readConfigFile(path, name string) {
	src, err := os.ReadFile(path)
	if err != nil {
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read a configuration file",
			Detail:   fmt.Sprintf("Reading %s failed: %s.", name, pathError(err)),
		})
		return
	}
	filename := displayPath(l.cfg.Dir, name)
	l.cfg.Sources[filename] = src
	if diags := CheckNesting(src, filename); diags.HasErrors() {
		l.diags = append(l.diags, diags...)
		return
	}
	file, diags := parseFile(src, filename)
	l.diags = append(l.diags, diags...)
	if file == nil || file.Body == nil {
		return
	}
	content, diags := file.Body.Content(rootSchema)
	l.diags = append(l.diags, diags...)
	for _, b := range content.Blocks {
		l.blocks[b.Type] = append(l.blocks[b.Type], b)
	}
}

// displayPath is the file name used in diagnostics: relative to the
// working directory when the configuration directory is.
func displayPath(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	return filepath.Join(dir, name)
}

func displayDir(dir string) string {
	if dir == "" || dir == "." {
		return "current directory"
	}
	return dir
}

// pathError renders an OS error without repeating the path.
func pathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// sortDiagnostics orders diagnostics by file and position; diagnostics
// without a subject come first, in the order they were found.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		default:
			return a.Start.Byte < b.Start.Byte
		}
	})
}
