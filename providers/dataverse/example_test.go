package dataverse_test

import (
	"context"
	"fmt"

	"github.com/hashicorp/go-hclog"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dataverse"
	"github.com/dwctl/dwctl/providers/transport"
)

// A client of an emulated environment: the credential goes to the emulator's authority and TLS trusts
// only the emulator's CA. For a real environment leave AuthorityHost and CAFile empty.
func ExampleNew() {
	info := emu.Info()
	cred, err := transport.NewCredential(transport.Auth{Method: transport.AuthClientSecret,
		TenantID: info.TenantID, ClientID: info.ClientID, ClientSecret: info.ClientSecret,
		AuthorityHost: info.AuthorityURL, CAFile: info.CAFile})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := dataverse.New(dataverse.Options{URL: info.DataverseURL, Credential: cred, CAFile: info.CAFile,
		Environment: "local", Logger: hclog.NewNullLogger()})
	if err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	err = c.ListRows(context.Background(), "transactioncurrencies",
		providers.Query{Select: []string{"isocurrencycode"}, Filter: "isocurrencycode eq 'USD'"},
		func(rows []providers.Row) error { n += len(rows); return nil })
	fmt.Println(n, err)
	// Output: 1 <nil>
}
