package dataverse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/transport"
)

// SaveEntityMap stores a map version as a msdyn_dualwriteentitymap row in the unmanaged solution sol
// [D: solution components are added by creating them with the MSCRM.SolutionUniqueName header;
// the dual-write map is the solution component "Dual Write entity map"]. The publisher and the
// solution are created when missing; a row with the same msdyn_name and msdyn_version is reused.
// Whether a real environment's dual-write plug-ins accept a row made this way rather than by a
// solution import is not known [U].
func (c *Client) SaveEntityMap(ctx context.Context, sol providers.SolutionSpec, em providers.EntityMap) (providers.GUID, error) {
	fields := map[string]any{"msdyn_name": em.Name, "msdyn_displayname": em.DisplayName, "msdyn_version": em.Version, "msdyn_mapping": string(em.Mapping)}
	id, found, err := c.findOne(ctx, "msdyn_dualwriteentitymaps", "msdyn_dualwriteentitymapid",
		fmt.Sprintf("msdyn_name eq %s and msdyn_version eq %s", quote(em.Name), quote(em.Version)))
	if err != nil {
		return "", err
	}
	if found { // made by an apply that stopped before it published the row: bring it up to date
		_, err := c.Update(ctx, "msdyn_dualwriteentitymaps", providers.Key{{Value: providers.GUID(id)}}, providers.Row(fields), "*")
		return providers.GUID(id), err
	}
	if err := c.ensureSolution(ctx, sol); err != nil {
		return "", err
	}
	body, err := json.Marshal(fields)
	if err != nil {
		return "", err
	}
	cl := call("create", "msdyn_dualwriteentitymaps", nil)
	h := jsonHeader()
	h.Set("MSCRM.SolutionUniqueName", sol.UniqueName)
	resp, err := c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: "msdyn_dualwriteentitymaps", Header: h, Body: body})
	if errors.Is(err, transport.ErrOutcomeUnknown) {
		// The answer was lost: the row may exist. Look before creating it again.
		if id, found, ferr := c.findOne(ctx, "msdyn_dualwriteentitymaps", "msdyn_dualwriteentitymapid",
			fmt.Sprintf("msdyn_name eq %s and msdyn_version eq %s", quote(em.Name), quote(em.Version))); ferr == nil && found {
			return providers.GUID(id), nil
		}
		resp, err = c.c.Do(ctx, cl, transport.Request{Method: http.MethodPost, URL: "msdyn_dualwriteentitymaps", Header: h, Body: body})
	}
	if err != nil {
		return "", err
	}
	return providers.GUID(idOfEntity(result(resp.Status, resp.Header, resp.Body).EntityID)), nil
}

// ensureSolution creates the solution's publisher and the solution when missing; a managed solution
// of that name is an error (components go into unmanaged solutions only).
func (c *Client) ensureSolution(ctx context.Context, sol providers.SolutionSpec) error {
	rows, err := c.rowsWhere(ctx, "solutions", []string{"solutionid", "ismanaged"}, "uniquename eq "+quote(sol.UniqueName))
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		if managed, _ := rows[0]["ismanaged"].(bool); managed {
			return fmt.Errorf("%s: solution %s is managed; dwctl saves map versions in an unmanaged solution of that name", c.Environment(), sol.UniqueName)
		}
		return nil
	}
	pub, found, err := c.findOne(ctx, "publishers", "publisherid", "uniquename eq "+quote(sol.Publisher))
	if err != nil {
		return err
	}
	if !found {
		res, err := c.Create(ctx, "publishers", providers.Row{"uniquename": sol.Publisher, "friendlyname": sol.PublisherName,
			"customizationprefix": sol.Prefix, "customizationoptionvalueprefix": sol.OptionValuePrefix,
			"description": "Publisher of the table map versions dwctl saves."})
		if errors.Is(err, transport.ErrOutcomeUnknown) { // the answer was lost: look, then go on as if it was a duplicate
			if _, found, ferr := c.findOne(ctx, "publishers", "publisherid", "uniquename eq "+quote(sol.Publisher)); ferr == nil && found {
				err = &providers.Error{Status: http.StatusPreconditionFailed, Code: "0x80060892"}
			}
		}
		switch {
		case isDuplicate(err): // made meanwhile by a parallel action, or by the try whose answer was lost
			if pub, _, err = c.findOne(ctx, "publishers", "publisherid", "uniquename eq "+quote(sol.Publisher)); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			pub = idOfEntity(res.EntityID)
		}
	}
	_, err = c.Create(ctx, "solutions", providers.Row{"uniquename": sol.UniqueName, "friendlyname": sol.FriendlyName,
		"version": "1.0.0.0", "publisherid@odata.bind": "/publishers(" + pub + ")",
		"description": "Dual-write table map versions saved by dwctl."})
	if isDuplicate(err) {
		return nil
	}
	if errors.Is(err, transport.ErrOutcomeUnknown) {
		if _, found, ferr := c.findOne(ctx, "solutions", "solutionid", "uniquename eq "+quote(sol.UniqueName)); ferr == nil && found {
			return nil
		}
	}
	return err
}

// isDuplicate reports an answer that refused a create because a row with the same alternate key
// exists (0x80060892 [D]).
func isDuplicate(err error) bool {
	var pe *providers.Error
	return errors.As(err, &pe) && (pe.Code == "0x80060892" || pe.Code == "0x80040237")
}

// rowsWhere lists the rows of set matching filter.
func (c *Client) rowsWhere(ctx context.Context, set string, columns []string, filter string) ([]providers.Row, error) {
	var rows []providers.Row
	err := c.ListRows(ctx, set, providers.Query{Select: columns, Filter: filter}, func(page []providers.Row) error {
		rows = append(rows, page...)
		return nil
	})
	return rows, err
}

// findOne returns the id column of the first row of set matching filter.
func (c *Client) findOne(ctx context.Context, set, idColumn, filter string) (string, bool, error) {
	rows, err := c.rowsWhere(ctx, set, []string{idColumn}, filter)
	if err != nil || len(rows) == 0 {
		return "", false, err
	}
	return str(rows[0], idColumn), true, nil
}

// quote writes an OData string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// idOfEntity takes the id out of an OData-EntityId such as https://…/accounts(00000000-…).
func idOfEntity(uri string) string {
	i, j := strings.LastIndexByte(uri, '('), strings.LastIndexByte(uri, ')')
	if i < 0 || j < i {
		return ""
	}
	return uri[i+1 : j]
}
