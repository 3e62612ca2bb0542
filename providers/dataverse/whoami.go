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

// CurrentOrganization reads RetrieveCurrentOrganization [D]: the
// organisation id and its environment's id, which tell a copied database
// (a refresh) from the environment a dual-write link was made with.
func (c *Client) CurrentOrganization(ctx context.Context) (providers.Organization, error) {
	var doc struct {
		Detail struct {
			OrganizationID providers.GUID `json:"OrganizationId"`
			EnvironmentID  string         `json:"EnvironmentId"`
			UniqueName     string         `json:"UniqueName"`
		} `json:"Detail"`
	}
	path := "RetrieveCurrentOrganization(AccessType=@p1)?@p1=Microsoft.Dynamics.CRM.EndpointAccessType'Default'"
	if err := c.getJSON(ctx, call("read the current organization of", "", nil), path, &doc); err != nil {
		return providers.Organization{}, err
	}
	return providers.Organization{ID: doc.Detail.OrganizationID, EnvironmentID: doc.Detail.EnvironmentID, UniqueName: doc.Detail.UniqueName}, nil
}

// WhoAmI returns the calling user, its business unit and the organisation: the cheapest call that proves
// the environment is reachable and the credential accepted.
func (c *Client) WhoAmI(ctx context.Context) (Identity, error) {
	var id Identity
	err := c.getJSON(ctx, call("who am I", "", nil), "WhoAmI", &id)
	return id, err
}
