package finops

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

// The F&O sample exchange of protocols §5.8 and the 429 of §5.6, checked from the client's side.

func TestSampleCrossCompanyReadAndWrite(t *testing.T) {
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/data/SequenceV2Tables?$select=" + sequenceColumns +
			"&$filter=ScopeValue eq 'USMF' and NumberSequenceCode eq 'Cust_1'&cross-company=true",
			Want:   map[string]string{"OData-Version": "4.0", "Accept": "application/json"},
			Status: 200, Reply: `{"@odata.context":"{host}/data/$metadata#SequenceV2Tables","value":[{"@odata.etag":"W/\"JzAsNTYzN\"","NumberSequenceCode":"Cust_1",
        "ScopeType":"DataArea","ScopeValue":"USMF","Smallest":1,"Largest":999999,"Next":1042,"Format":"USMF-######",
        "Manual":"No","Continuous":"No","InUse":"Yes"}]}`},
		{Method: "POST", Path: "/data/CustomerGroups?cross-company=true", Body: `"CustomerGroupId":"T1"`,
			Want:   map[string]string{"Content-Type": "application/json"},
			Status: 201, Reply: `{"@odata.etag":"W/\"JzAsMjI1NjU0MjExNzYn\"","dataAreaId":"usmf","CustomerGroupId":"T1","Description":"Test group"}`},
		{Method: "PATCH", Path: "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='T1')?cross-company=true", Body: `{"Description":"Renamed"}`,
			Status: 204},
		{Method: "GET", Path: "/data/CustomerGroups/$count?$filter=dataAreaId eq 'usmf'&cross-company=true", Status: 200, Reply: "\ufeff1"},
	})
	ctx := context.Background()
	seqs, err := c.NumberSequences(ctx, "ScopeValue eq 'USMF' and NumberSequenceCode eq 'Cust_1'")
	if err != nil {
		t.Fatal(err)
	}
	want := []providers.NumberSequence{{Code: "Cust_1", ScopeType: "DataArea", ScopeValue: "USMF", Format: "USMF-######",
		Smallest: 1, Largest: 999999, Next: 1042, InUse: true, ETag: `W/"JzAsNTYzN"`}}
	if diff := cmp.Diff(want, seqs); diff != "" {
		t.Errorf("sequences (-want +got):\n%s", diff)
	}
	row, err := c.Create(ctx, "CustomerGroups", providers.Row{"dataAreaId": "usmf", "CustomerGroupId": "T1", "Description": "Test group"})
	if err != nil || row.ETag() == "" {
		t.Fatalf("create: %v %v", row, err)
	}
	key := providers.Key{{Name: "dataAreaId", Value: "usmf"}, {Name: "CustomerGroupId", Value: "T1"}}
	if err := c.Update(ctx, "CustomerGroups", key, providers.Row{"Description": "Renamed"}, ""); err != nil {
		t.Fatal(err)
	}
	n, err := c.CountRows(ctx, "CustomerGroups", providers.Query{Company: "usmf"})
	if err != nil || n != 1 {
		t.Errorf("count = %d, %v", n, err)
	}
}

func TestSampleThrottled(t *testing.T) {
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/data/LegalEntities?$select=LegalEntityId,Name", Status: 429,
			Header: map[string]string{"Retry-After": "20", "Content-Type": "application/json; odata.metadata=minimal"},
			Reply:  `{"error":{"code":"","message":"This request could not be processed at this time due to system experiencing high resource utilization."}}`},
		{Method: "GET", Path: "/data/LegalEntities?$select=LegalEntityId,Name", Status: 200, Reply: `{"value":[{"LegalEntityId":"USMF","Name":"Contoso"}]}`},
	})
	les, err := c.LegalEntities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]providers.Company{{Code: "USMF", Name: "Contoso"}}, les); diff != "" {
		t.Errorf("legal entities (-want +got):\n%s", diff)
	}
}
