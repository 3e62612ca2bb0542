package dataverse

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// Change tracking (delta queries) [D]: Prefer: odata.track-changes on a list adds @odata.deltaLink
// to the last page; GET with $deltatoken answers the rows changed since (new/updated first, then
// $deletedEntity tombstones) and a fresh deltaLink. Tokens look like the service's
// "{version}!{MM/dd/yyyy HH:mm:ss}" and expire after deltaTokenLifetime.

const deltaTokenLifetime = 7 * 24 * time.Hour

const deltaTimeLayout = "01/02/2006 15:04:05"

// checkTracking refuses the options the service refuses with change tracking [D].
func (d *dvRequest) checkTracking(q wire.Query) *wire.Error {
	if !d.t.ChangeTracking {
		return wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "Change tracking is not enabled for the entity '%s'.", d.t.Name)
	}
	for name, used := range map[string]bool{"$filter": q.Filter != "", "$orderby": len(q.OrderBy) > 0, "$expand": len(q.Expand) > 0, "$top": q.Top >= 0} {
		if used {
			return wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The \"%s\" query parameter isn't supported when Change Tracking is enabled.", name)
		}
	}
	return nil
}

// deltaLink is the request URL (without paging and delta tokens) with a $deltatoken for seq.
func (d *dvRequest) deltaLink(seq int64) string {
	var keep []string
	for _, p := range strings.Split(d.r.URL.RawQuery, "&") {
		name, _, _ := strings.Cut(p, "=")
		if n, _ := url.QueryUnescape(name); p != "" && n != "$skiptoken" && n != "$deltatoken" {
			keep = append(keep, p)
		}
	}
	tok := strconv.FormatInt(seq, 10) + "!" + d.dv.clock().UTC().Format(deltaTimeLayout)
	keep = append(keep, "$deltatoken="+strings.ReplaceAll(url.QueryEscape(tok), "+", "%20"))
	return d.dv.base + d.r.URL.Path + "?" + strings.Join(keep, "&")
}

// parseDeltaToken returns the change sequence of a token and whether it is still valid.
func parseDeltaToken(tok string, now time.Time) (int64, *wire.Error) {
	seqText, when, ok := strings.Cut(tok, "!")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil {
		return 0, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The $deltatoken '%s' is not valid.", tok)
	}
	t, err := time.Parse(deltaTimeLayout, when)
	if err != nil {
		return 0, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The $deltatoken '%s' is not valid.", tok)
	}
	if now.Sub(t) > deltaTokenLifetime {
		return 0, wire.NewError(http.StatusBadRequest, "0x80044352", "The $deltatoken has expired: change tracking tokens are kept for 7 days.")
	}
	return seq, nil
}

// delta answers a $deltatoken request.
func (d *dvRequest) delta(q wire.Query) {
	if aerr := d.checkTracking(q); aerr != nil {
		d.fail(aerr)
		return
	}
	after, aerr := parseDeltaToken(q.DeltaToken, d.dv.clock())
	if aerr != nil {
		d.fail(aerr)
		return
	}
	ctx := d.r.Context()
	seq, err := d.dv.store.LastChange(ctx)
	if err != nil {
		d.fail(wire.StoreError(err))
		return
	}
	changes, err := d.dv.store.Changes(ctx, store.Dataverse, d.t.Name, after)
	if err != nil {
		d.fail(wire.StoreError(err))
		return
	}
	var changed, deleted []map[string]any
	for _, c := range changes {
		if c.Seq > seq {
			continue
		}
		row, found, err := d.dv.store.Get(ctx, store.Dataverse, d.t.Name, c.ID)
		if err != nil {
			d.fail(wire.StoreError(err))
			return
		}
		if found && !c.Deleted {
			changed = append(changed, d.render(row, q))
			continue
		}
		deleted = append(deleted, map[string]any{"@odata.context": d.base() + "$metadata#" + d.t.EntitySet + "/$deletedEntity", "id": c.ID, "reason": "deleted"})
	}
	values := append(append([]map[string]any{}, changed...), deleted...)
	wire.WriteJSON(d.w, http.StatusOK, map[string]any{
		"@odata.context":   d.context(q.Select, false) + "/$delta",
		"@odata.deltaLink": d.deltaLink(seq),
		"value":            values,
	})
}

// countChanges answers /$count?$deltatoken=…: the number of rows changed since the token [D].
func (d *dvRequest) countChanges(q wire.Query) {
	after, aerr := parseDeltaToken(q.DeltaToken, d.dv.clock())
	if aerr != nil {
		d.fail(aerr)
		return
	}
	changes, err := d.dv.store.Changes(d.r.Context(), store.Dataverse, d.t.Name, after)
	if err != nil {
		d.fail(wire.StoreError(err))
		return
	}
	d.w.Header().Set("Content-Type", "text/plain")
	d.w.WriteHeader(http.StatusOK)
	_, _ = d.w.Write([]byte(strconv.Itoa(len(changes))))
}
