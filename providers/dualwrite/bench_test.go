package dualwrite_test

import (
	"context"
	"testing"

	"github.com/dwctl/dwctl/providers"
)

// TestMapsIsOneRequest checks that listing every map of a pair is one request, whatever the count.
func TestMapsIsOneRequest(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	link := mustLink(t, c, e, "USMF")
	before := c.Requests()
	maps, err := c.Maps(context.Background(), link)
	if err != nil || len(maps) < 20 {
		t.Fatalf("%d maps, %v", len(maps), err)
	}
	if n := c.Requests() - before; n != 1 {
		t.Fatalf("listing %d maps took %d requests", len(maps), n)
	}
}

// BenchmarkMaps500 lists the 500 maps of a pair; requests/op is the number of gateway requests
// one listing costs (the bar is 3).
func BenchmarkMaps500(b *testing.B) {
	e := startEmulator(b, "")
	c := gateway(b, e)
	ctx := context.Background()
	link := mustLink(b, c, e, "USMF")
	maps, err := c.Maps(ctx, link)
	if err != nil {
		b.Fatal(err)
	}
	addMaps(b, e, c, link, 500-len(maps))
	b.ResetTimer()
	before := c.Requests()
	var listed []providers.Map
	for range b.N {
		if listed, err = c.Maps(ctx, link); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(listed) != 500 {
		b.Fatalf("listed %d maps, want 500", len(listed))
	}
	perList := float64(c.Requests()-before) / float64(b.N)
	if perList > 3 {
		b.Fatalf("%.1f requests per listing of 500 maps, want at most 3", perList)
	}
	b.ReportMetric(perList, "requests/op")
	b.ReportMetric(float64(len(listed)), "maps")
}
