package view

import "fmt"

// VersionInfo describes the running binary; it is also the JSON document of
// dwctl version -json.
type VersionInfo struct {
	Version string `json:"version"`
	// Revision is the source revision the binary was built from, when known.
	Revision  string `json:"revision,omitempty"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"` // GOOS_GOARCH
}

// Version prints VersionInfo.
type Version struct {
	Streams
	JSON bool
}

// Show prints v on Out.
func (v Version) Show(info VersionInfo) error {
	if v.JSON {
		return writeJSON(v.Out, info)
	}
	rev := ""
	if info.Revision != "" {
		rev = " (" + info.Revision + ")"
	}
	_, err := fmt.Fprintf(v.Out, "dwctl v%s%s\non %s, built with %s\n", info.Version, rev, info.Platform, info.GoVersion)
	return err
}
