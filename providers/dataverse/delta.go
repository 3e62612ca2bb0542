package dataverse

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/odata"
)

// Delta is one answer of a change-tracking read.
type Delta struct {
	// Changed holds the rows created or changed since the previous read (every row on the first read).
	Changed []providers.Row
	// Deleted holds the ids of rows deleted since the previous read.
	Deleted []providers.GUID
	// Link is the @odata.deltaLink to pass to the next call.
	Link string
}

// Changes reads what changed in set since link (the Link of an earlier Delta), or everything with a
// first link when link is "". The table must have change tracking enabled; Dataverse then refuses
// $filter, $orderby and $top, so only columns can be chosen. Pages are followed until the page that
// carries the delta link.
func (c *Client) Changes(ctx context.Context, set string, columns []string, link string) (Delta, error) {
	cl := call("read changes of", set, nil)
	h := http.Header{"Prefer": {"odata.track-changes,odata.maxpagesize=" + strconv.Itoa(c.pageSize)}}
	first := link
	if first == "" {
		first = odata.Path(set, odata.QueryParams(providers.Query{Select: columns}))
	}
	var d Delta
	err := c.c.Pages(ctx, cl, first, h, func(p odata.Page) error {
		for _, r := range p.Rows {
			if ctx, _ := r["@odata.context"].(string); strings.HasSuffix(ctx, "$deletedEntity") {
				d.Deleted = append(d.Deleted, providers.GUID(str(r, "id")))
				continue
			}
			d.Changed = append(d.Changed, r)
		}
		if p.DeltaLink != "" {
			d.Link = p.DeltaLink
		}
		return nil
	})
	if err != nil {
		return Delta{}, err
	}
	if d.Link == "" {
		return Delta{}, c.fail(cl, errors.New("the answer has no @odata.deltaLink: is change tracking enabled on the table?"))
	}
	return d, nil
}
