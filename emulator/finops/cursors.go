package finops

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// pageCursors remember where a page of F&O's $skip paging ended, so that
// the next page of the same query ($skip = the rows served so far)
// continues after the page's last id instead of reading every row before
// it again. A cursor holds only while its table has had no write since
// (Store.Writes), so the pages are exactly those an offset gives.
type pageCursors struct {
	mu sync.Mutex
	m  map[string]pageCursor
}

type pageCursor struct {
	afterID string
	writes  int64
}

// maxCursors bounds the cursors kept; past it they are all forgotten.
const maxCursors = 1024

func (c *pageCursors) get(key string, writes int64) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[key]
	if !ok || p.writes != writes {
		return "", false
	}
	delete(c.m, key)
	return p.afterID, true
}

func (c *pageCursors) put(key, afterID string, writes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCursors {
		c.m = map[string]pageCursor{}
	}
	c.m[key] = pageCursor{afterID: afterID, writes: writes}
}

// cursorKey names the page of a query that starts at skip: the table, the
// query's options but $skip, and skip.
func cursorKey(table, rawQuery string, skip int) string {
	var keep []string
	for _, p := range strings.Split(rawQuery, "&") {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && n == "$skip" {
			continue
		}
		keep = append(keep, p)
	}
	return table + "\x00" + strings.Join(keep, "&") + "\x00" + strconv.Itoa(skip)
}
