package main

import (
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVCSRevision(t *testing.T) {
	tests := map[string]struct {
		settings []debug.BuildSetting
		want     string
	}{
		"none": {},
		"clean": {settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"},
			{Key: "vcs.modified", Value: "false"}}, want: "0123456789ab"},
		"dirty": {settings: []debug.BuildSetting{{Key: "vcs.modified", Value: "true"},
			{Key: "vcs.revision", Value: "abc"}}, want: "abc-dirty"},
		"modified without revision": {settings: []debug.BuildSetting{{Key: "vcs.modified", Value: "true"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, vcsRevision(tc.settings)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestVersionInfoFromLdflags(t *testing.T) {
	tests := map[string]struct {
		version, revision string
		wantVersion       string
		wantRevision      string
	}{
		"stamped":   {version: "v1.2.3", revision: "abc", wantVersion: "1.2.3", wantRevision: "abc"},
		"unstamped": {wantVersion: devVersion},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			oldV, oldR := version, revision
			t.Cleanup(func() { version, revision = oldV, oldR })
			version, revision = tc.version, tc.revision
			got := versionInfo()
			if got.Version != tc.wantVersion {
				t.Errorf("version %q, want %q", got.Version, tc.wantVersion)
			}
			if tc.wantRevision != "" && got.Revision != tc.wantRevision {
				t.Errorf("revision %q, want %q", got.Revision, tc.wantRevision)
			}
			if got.GoVersion == "" || got.Platform == "" {
				t.Errorf("missing go version or platform: %+v", got)
			}
		})
	}
}

func TestHelpTopic(t *testing.T) {
	tests := map[string]struct {
		topic     []string
		wantStart string
		wantErr   string
	}{
		"main":      {wantStart: "Usage: dwctl [global options] <command>"},
		"command":   {topic: []string{"validate"}, wantStart: "Usage: dwctl [global options] validate [options]"},
		"group":     {topic: []string{"emulator"}, wantStart: "Usage: dwctl [global options] emulator <subcommand>"},
		"subcmd":    {topic: []string{"emulator", "serve"}, wantStart: "Usage: dwctl [global options] emulator serve"},
		"unknown":   {topic: []string{"nope"}, wantErr: `unknown command "nope"`},
		"extra arg": {topic: []string{"fmt", "x"}, wantErr: `unknown command "fmt x"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := helpTopic(tc.topic)
			if !errContains(err, tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if len(got) < len(tc.wantStart) || got[:len(tc.wantStart)] != tc.wantStart {
				t.Errorf("help starts %q, want %q", got[:min(len(got), 60)], tc.wantStart)
			}
		})
	}
}
