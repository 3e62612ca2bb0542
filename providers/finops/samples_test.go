package finops

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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

// TestUpsertKeyReadsLeftUnanswered: whether F&O runs the rest of a batch after a 404 outside change
// sets is not documented, so a key read the batch left unanswered is made on its own.
func TestUpsertKeyReadsLeftUnanswered(t *testing.T) {
	part := func(status string, body string) string {
		return "--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
			"HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n\r\n" + body + "\r\n"
	}
	multipart := map[string]string{"Content-Type": "multipart/mixed; boundary=batchresponse_1"}
	c, _ := recorded(t, []exchange{
		{Method: "POST", Path: "/data/$batch", Body: "GET https://", Status: 200, Header: multipart,
			Reply: part("404 Not Found", `{"error":{"code":"","message":"Resource not found for the segment 'CustomerGroups'."}}`) + "--batchresponse_1--\r\n"},
		{Method: "GET", Path: "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='B')?$select=dataAreaId,CustomerGroupId&cross-company=true",
			Status: 200, Reply: `{"dataAreaId":"usmf","CustomerGroupId":"B"}`},
		{Method: "POST", Path: "/data/$batch", Body: "PATCH https://", Status: 200, Header: multipart,
			Reply: part("201 Created", `{"dataAreaId":"usmf","CustomerGroupId":"A"}`) + part("204 No Content", "") + "--batchresponse_1--\r\n"},
	})
	key := func(id string) providers.Key {
		return providers.Key{{Name: "dataAreaId", Value: "usmf"}, {Name: "CustomerGroupId", Value: id}}
	}
	res, err := c.WriteRows(context.Background(), "CustomerGroups", []providers.Write{
		{Kind: providers.Upsert, Key: key("A"), Row: providers.Row{"Description": "a"}},
		{Kind: providers.Upsert, Key: key("B"), Row: providers.Row{"Description": "b"}},
	}, providers.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{res[0].Created, res[0].Err, res[1].Created, res[1].Err}
	if diff := cmp.Diff([]any{true, nil, false, nil}, got, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}
