package odata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/providers"
)

// Page is one decoded collection response.
type Page struct {
	Rows []providers.Row
	// NextLink is @odata.nextLink, to be followed verbatim; "" on the last page.
	NextLink string
	// DeltaLink is @odata.deltaLink of a change-tracking response.
	DeltaLink string
	// Count is @odata.count when the request asked for it, else -1.
	Count int64
}

// DecodePage decodes {"value":[...], "@odata.nextLink": ...}. Numbers stay json.Number. A body holding
// a single entity (no "value") is accepted as a page of one row, as one documented example shows for
// metadata.
func DecodePage(body []byte) (Page, error) {
	var doc struct {
		Value     *[]providers.Row `json:"value"`
		NextLink  *string          `json:"@odata.nextLink"`
		DeltaLink *string          `json:"@odata.deltaLink"`
		Count     *json.Number     `json:"@odata.count"`
	}
	if err := decode(body, &doc); err != nil {
		return Page{}, fmt.Errorf("decoding collection: %w", err)
	}
	p := Page{Count: -1}
	if doc.NextLink != nil {
		p.NextLink = *doc.NextLink
	}
	if doc.DeltaLink != nil {
		p.DeltaLink = *doc.DeltaLink
	}
	if doc.Count != nil {
		n, err := strconv.ParseInt(doc.Count.String(), 10, 64)
		if err != nil {
			return p, fmt.Errorf("decoding @odata.count: %w", err)
		}
		p.Count = n
	}
	if doc.Value != nil {
		p.Rows = *doc.Value
		return p, nil
	}
	var row providers.Row
	if err := decode(body, &row); err != nil {
		return p, err
	}
	p.Rows = []providers.Row{row}
	return p, nil
}

// DecodeRow decodes one entity.
func DecodeRow(body []byte) (providers.Row, error) {
	var row providers.Row
	if err := decode(body, &row); err != nil {
		return nil, fmt.Errorf("decoding entity: %w", err)
	}
	if row == nil {
		return nil, errors.New("decoding entity: null")
	}
	return row, nil
}

// DecodeCount parses the plain-text answer of …/$count.
func DecodeCount(body []byte) (int64, error) {
	s := strings.TrimSpace(strings.TrimPrefix(string(body), "\ufeff"))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("decoding $count answer %q: %w", truncate(s, 40), err)
	}
	return n, nil
}

func decode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
