package dataverse

import (
	"context"

	"github.com/dwctl/dwctl/providers"
)

// Identity is the answer of WhoAmI.
type Identity struct {
	UserID         providers.GUID `json:"UserId"`
	BusinessUnitID providers.GUID `json:"BusinessUnitId"`
	OrganizationID providers.GUID `json:"OrganizationId"`
}

// WhoAmI returns the calling user, its business unit and the organisation: the cheapest call that proves
// the environment is reachable and the credential accepted.
func (c *Client) WhoAmI(ctx context.Context) (Identity, error) {
	var id Identity
	err := c.getJSON(ctx, call("who am I", "", nil), "WhoAmI", &id)
	return id, err
}
