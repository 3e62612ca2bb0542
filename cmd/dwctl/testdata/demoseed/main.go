// Command demoseed seeds the emulators of a configuration for make demo:
// F&O with the demo data set, Dataverse with company-less rows, plus the
// legal entities the configuration names that the demo data lacks. The
// data stays under DIR/.dwctl/emulator for the dwctl commands that follow.
//
// Usage: go run ./cmd/dwctl/testdata/demoseed DIR
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/connection"
	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/providers"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: demoseed DIR")
		os.Exit(2)
	}
	if err := seed(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "demoseed:", err)
		os.Exit(1)
	}
}

func seed(dir string) error {
	cfg, diags := config.Load(dir, config.LoadOptions{Environ: os.Environ()})
	if diags.HasErrors() {
		return diags
	}
	ctx := context.Background()
	conns, err := connection.Open(ctx, cfg, connection.Options{Dir: dir,
		Emulator: emulator.Options{FinOps: "demo", Dataverse: "existing", Rows: 5}})
	if err != nil {
		return err
	}
	defer conns.Close()
	for _, c := range cfg.Companies {
		fo := conns.Pairs[c.Link.Name].FinOps
		have, err := fo.LegalEntities(ctx)
		if err != nil {
			return err
		}
		if has(have, c.ID) {
			continue
		}
		res, err := fo.WriteRows(ctx, "LegalEntities", []providers.Write{{Kind: providers.Create,
			Row: providers.Row{"LegalEntityId": c.ID, "Name": c.Name}}}, providers.BatchOptions{})
		if err == nil && res[0].Err != nil {
			err = res[0].Err
		}
		if err != nil {
			return fmt.Errorf("create legal entity %s: %w", c.ID, err)
		}
		fmt.Printf("demoseed: created the F&O legal entity %s\n", c.ID)
	}
	return nil
}

func has(cs []providers.Company, code string) bool {
	for _, c := range cs {
		if strings.EqualFold(c.Code, code) {
			return true
		}
	}
	return false
}
