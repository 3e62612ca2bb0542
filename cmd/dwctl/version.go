package main

import (
	"flag"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/dwctl/dwctl/view"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=1.2.3". When empty, the module version from the
// build information is used, or devVersion for a development build.
var version string

// revision is the source revision, set at build time with
// -ldflags "-X main.revision=abc1234". When empty, the VCS revision from
// the build information is used, when the build recorded one.
var revision string

// devVersion is the version of a build from a source tree.
const devVersion = "0.1.0-dev"

// versionInfo describes this binary.
func versionInfo() view.VersionInfo {
	info := view.VersionInfo{
		Version:   strings.TrimPrefix(version, "v"),
		Revision:  revision,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "_" + runtime.GOARCH,
	}
	bi, ok := debug.ReadBuildInfo()
	if info.Version == "" {
		info.Version = devVersion
		if ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = strings.TrimPrefix(bi.Main.Version, "v")
		}
	}
	if info.Revision == "" && ok {
		info.Revision = vcsRevision(bi.Settings)
	}
	return info
}

// vcsRevision is the short VCS revision recorded by the Go toolchain, with
// "-dirty" when the tree had local changes.
func vcsRevision(settings []debug.BuildSetting) string {
	var rev, dirty string
	for _, s := range settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "-dirty"
		}
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}

// versionArgs are the arguments of dwctl version.
type versionArgs struct {
	json    bool
	noColor bool
}

func versionFlags(a *versionArgs) *flag.FlagSet {
	fs := newFlagSet("version")
	fs.BoolVar(&a.json, "json", false, "Print the version information as JSON.")
	addNoColor(fs, &a.noColor)
	return fs
}

func versionCommand() *command {
	return &command{
		name:     "version",
		synopsis: "Show the version of dwctl",
		about:    "Shows the version of dwctl, the source revision it was built from when known,\nthe Go version and the platform.",
		flags:    func() *flag.FlagSet { return versionFlags(new(versionArgs)) },
		run:      runVersion,
	}
}

func parseVersion(args []string) (versionArgs, error) {
	var a versionArgs
	err := parseFlags(versionFlags(&a), args, false)
	return a, err
}

func runVersion(p *process, args []string) int {
	a, err := parseVersion(args)
	if err != nil {
		return p.usageError(err)
	}
	v := view.Version{Streams: p.streams(a.noColor), JSON: a.json}
	if err := v.Show(versionInfo()); err != nil {
		return p.fail(err)
	}
	return exitOK
}
