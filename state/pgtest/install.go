package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// binDir returns the directory holding initdb and postgres, installing
// Debian's postgresql package first when they are missing.
func binDir() (string, error) {
	if dir := findBinDir(); dir != "" {
		return dir, nil
	}
	if err := install(); err != nil {
		return "", err
	}
	if dir := findBinDir(); dir != "" {
		return dir, nil
	}
	return "", errors.New("pgtest: postgresql was installed but initdb and postgres are still not found")
}

// findBinDir looks in Debian's /usr/lib/postgresql/VERSION/bin (newest
// first), then beside an initdb on PATH.
func findBinDir() string { return findBinDirIn("/usr/lib/postgresql") }

func findBinDirIn(debianRoot string) string {
	dirs, _ := filepath.Glob(filepath.Join(debianRoot, "*", "bin"))
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(b) - majorOf(a) })
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(initdb); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
	}
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "postgres")) {
			return d
		}
	}
	return ""
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// install runs apt-get install -y postgresql, with an apt-get update first
// if the package lists are missing or stale.
func install() error {
	if os.Geteuid() != 0 {
		return errors.New("pgtest: the PostgreSQL server binaries (initdb, postgres) are not installed; install Debian's postgresql package or run the tests as root so they can install it")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("pgtest: the PostgreSQL server binaries are not installed and there is no apt-get to install them")
	}
	// Several test binaries may get here at once: apt-get waits for the
	// others' dpkg lock, and whoever fails checks whether another installed.
	if err := aptGet("install", "-y", "postgresql"); err == nil || findBinDir() != "" {
		return nil
	}
	if err := aptGet("update"); err != nil && findBinDir() == "" {
		return err
	}
	if err := aptGet("install", "-y", "postgresql"); err != nil && findBinDir() == "" {
		return err
	}
	return nil
}

func aptGet(args ...string) error {
	cmd := exec.Command("apt-get", append([]string{"-o", "DPkg::Lock::Timeout=300"}, args...)...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgtest: apt-get %s: %w\n%s", strings.Join(args, " "), err, tail(out.String(), 20))
	}
	return nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
