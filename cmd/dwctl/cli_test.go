package main

import (
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/google/go-cmp/cmp"
)

func TestParseGlobal(t *testing.T) {
	tests := map[string]struct {
		args     []string
		want     globalArgs
		wantRest []string
		wantErr  string
	}{
		"command only":   {args: []string{"validate", "-json"}, wantRest: []string{"validate", "-json"}},
		"chdir":          {args: []string{"-chdir=ex", "fmt"}, want: globalArgs{chdir: "ex"}, wantRest: []string{"fmt"}},
		"chdir spaced":   {args: []string{"-chdir", "ex", "fmt"}, want: globalArgs{chdir: "ex"}, wantRest: []string{"fmt"}},
		"help":           {args: []string{"-help"}, want: globalArgs{help: true}},
		"h":              {args: []string{"-h"}, want: globalArgs{help: true}},
		"version":        {args: []string{"-version"}, want: globalArgs{version: true}, wantRest: []string{}},
		"unknown":        {args: []string{"-frob", "validate"}, wantErr: "flag provided but not defined: -frob"},
		"command option": {args: []string{"-json", "validate"}, wantErr: "-json is an option of a command; put it after the command name"},
		"var first":      {args: []string{"-var=a=b", "validate"}, wantErr: "-var is an option of a command"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, rest, err := parseGlobal(tc.args)
			if !errContains(err, tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(globalArgs{})); d != "" {
				t.Errorf("args (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantRest, rest); d != "" && len(tc.wantRest)+len(rest) > 0 {
				t.Errorf("rest (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseValidate(t *testing.T) {
	tests := map[string]struct {
		args    []string
		want    validateArgs
		wantErr string
	}{
		"none": {},
		"vars in order": {
			args: []string{"-var-file=prod.dwvars", "-var", "stage=dev", "-var=x=a=b", "-json", "-no-color"},
			want: validateArgs{json: true, noColor: true, vars: []config.VarArg{
				{File: true, Value: "prod.dwvars"}, {Value: "stage=dev"}, {Value: "x=a=b"}}},
		},
		"var without equals": {args: []string{"-var", "stage"}, wantErr: `invalid value "stage" for flag -var: want NAME=VALUE`},
		"var without name":   {args: []string{"-var", "=x"}, wantErr: "want NAME=VALUE"},
		"empty var-file":     {args: []string{"-var-file="}, wantErr: "want a file name"},
		"unknown flag":       {args: []string{"-frob"}, wantErr: "flag provided but not defined: -frob"},
		"positional":         {args: []string{"dir"}, wantErr: `unexpected argument "dir"`},
		"help":               {args: []string{"-help"}, wantErr: flag.ErrHelp.Error()},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseValidate(tc.args)
			if !errContains(err, tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if err == nil {
				if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(validateArgs{})); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
			}
		})
	}
}

func TestParseFmt(t *testing.T) {
	tests := map[string]struct {
		args    []string
		want    fmtArgs
		wantErr string
	}{
		"defaults": {want: fmtArgs{list: true, write: true, paths: []string{"."}}},
		"check turns off write": {
			args: []string{"-check", "-diff", "-recursive", "a", "b.dw.hcl"},
			want: fmtArgs{check: true, diff: true, recursive: true, list: true, paths: []string{"a", "b.dw.hcl"}},
		},
		"no list no write": {
			args: []string{"-list=false", "-write=false", "-"},
			want: fmtArgs{paths: []string{"-"}},
		},
		"bad bool": {args: []string{"-list=maybe"}, wantErr: `invalid boolean value "maybe" for -list`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseFmt(tc.args)
			if !errContains(err, tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if err == nil {
				if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(fmtArgs{})); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := map[string]struct {
		args     []string
		wantName string
		wantRest []string
	}{
		"simple":  {args: []string{"validate", "-json"}, wantName: "validate", wantRest: []string{"-json"}},
		"unknown": {args: []string{"frob"}, wantRest: []string{"frob"}},
		"help":    {args: []string{"help", "fmt"}, wantName: "help", wantRest: []string{"fmt"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c, rest := lookup(tc.args)
			got := ""
			if c != nil {
				got = c.name
			}
			if got != tc.wantName {
				t.Errorf("command = %q, want %q", got, tc.wantName)
			}
			if d := cmp.Diff(tc.wantRest, rest); d != "" {
				t.Errorf("rest (-want +got):\n%s", d)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	tests := map[string]struct {
		name string
		want string
	}{
		"typo":     {name: "valdate", want: `unknown command "valdate"; did you mean "validate"?`},
		"far":      {name: "deploy", want: `unknown command "deploy"`},
		"short":    {name: "fnt", want: `unknown command "fnt"; did you mean "fmt"?`},
		"verbatim": {name: "", want: `unknown command ""`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, unknownCommand(tc.name, topLevelNames())); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestHelpListsEveryFlag checks that each command's help names each of
// its flags, so help is generated from the same flag set as parsing.
func TestHelpListsEveryFlag(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			help := commandHelp(c)
			c.flags().VisitAll(func(f *flag.Flag) {
				if !strings.Contains(help, "-"+f.Name) {
					t.Errorf("help of %s does not mention -%s:\n%s", c.name, f.Name, help)
				}
			})
			if !strings.Contains(mainHelp(), "  "+strings.Fields(c.name)[0]) {
				t.Errorf("main help does not list %s", c.name)
			}
		})
	}
}

func errContains(err error, want string) bool {
	if err == nil || want == "" {
		return (err == nil) == (want == "")
	}
	return strings.Contains(err.Error(), want) || errors.Is(err, flag.ErrHelp) && want == flag.ErrHelp.Error()
}
