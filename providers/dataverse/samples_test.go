package dataverse

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

// The sample exchanges of protocols §5, checked from the client's side.

func TestSamplePaging(t *testing.T) {
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/api/data/v9.2/msdyn_customergroups?$select=msdyn_groupid,msdyn_description",
			Want:   map[string]string{"Prefer": "odata.maxpagesize=2", "OData-Version": "4.0", "OData-MaxVersion": "4.0", "Accept": "application/json"},
			Status: 200, Header: map[string]string{"Preference-Applied": "odata.maxpagesize=2", "Content-Type": "application/json; odata.metadata=minimal"},
			Reply: `{"@odata.context":"{host}/api/data/v9.2/$metadata#msdyn_customergroups(msdyn_groupid,msdyn_description)",
 "value":[{"@odata.etag":"W/\"1001\"","msdyn_groupid":"10","msdyn_description":"Wholesale"},
          {"@odata.etag":"W/\"1002\"","msdyn_groupid":"20","msdyn_description":"Major"}],
 "@odata.nextLink":"{host}/api/data/v9.2/msdyn_customergroups?$select=msdyn_groupid,msdyn_description&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%22%20istracking=%22False%22%20/%3E"}`},
		{Method: "GET", Path: `/api/data/v9.2/msdyn_customergroups?$select=msdyn_groupid,msdyn_description&$skiptoken=<cookie pagenumber="2" pagingcookie="" istracking="False" />`,
			Want:   map[string]string{"Prefer": "odata.maxpagesize=2"},
			Status: 200, Reply: `{"value":[{"@odata.etag":"W/\"1003\"","msdyn_groupid":"30","msdyn_description":"Retail"}]}`},
	})
	var got []string
	err := c.ListRows(context.Background(), "msdyn_customergroups",
		providers.Query{Select: []string{"msdyn_groupid", "msdyn_description"}, PageSize: 2},
		func(rows []providers.Row) error {
			for _, r := range rows {
				got = append(got, r["msdyn_groupid"].(string))
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"10", "20", "30"}, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestSampleUpsert(t *testing.T) {
	key := providers.Key{{Name: "accountnumber", Value: "A1"}}
	row := providers.Row{"name": "Contoso Retail", "msdyn_company@odata.bind": "/cdm_companies(9a1b0000-0000-0000-0000-000000000001)"}
	cases := map[string]struct {
		cond    Cond
		want    map[string]string
		status  int
		reply   string
		created bool
		errTest func(error) bool
	}{
		"created": {status: 201, created: true,
			reply: `{"@odata.etag":"W/\"5521\"","accountnumber":"A1"}`},
		"updated": {status: 200,
			reply: `{"@odata.etag":"W/\"5522\"","accountnumber":"A1"}`},
		"create only, exists": {cond: Cond{IfNoneMatch: "*"}, want: map[string]string{"If-None-Match": "*"}, status: 412,
			reply: `{"error":{"code":"0x80060892","message":"A record with matching key values already exists."}}`, errTest: providers.IsPreconditionFailed},
		"update only, missing": {cond: Cond{IfMatch: "*"}, want: map[string]string{"If-Match": "*"}, status: 404,
			reply: `{"error":{"code":"0x80040217","message":"account With Id = A1 Does Not Exist"}}`, errTest: providers.IsNotFound},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want := map[string]string{"Prefer": "return=representation", "Content-Type": "application/json"}
			for k, v := range tc.want {
				want[k] = v
			}
			c, _ := recorded(t, []exchange{{Method: "PATCH", Path: "/api/data/v9.2/accounts(accountnumber='A1')?$select=accountnumber",
				Want: want, Body: `"msdyn_company@odata.bind":"/cdm_companies(9a1b0000-0000-0000-0000-000000000001)"`,
				Status: tc.status, Header: map[string]string{"ETag": `W/"5521"`}, Reply: tc.reply}})
			res, err := c.Upsert(context.Background(), "accounts", key, row, tc.cond)
			if tc.errTest != nil {
				if !tc.errTest(err) {
					t.Fatalf("error = %v", err)
				}
				var pe *providers.Error
				if !errors.As(err, &pe) || pe.Environment != "recorded" || pe.Table != "accounts" || pe.Key != "(accountnumber='A1')" {
					t.Errorf("error does not name environment, table and key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != tc.created || res.ETag == "" {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestSampleBatchChangeSet(t *testing.T) {
	reply := "--batchresponse_r1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_s1\r\n\r\n" +
		"--changesetresponse_s1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n" +
		"HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\nOData-EntityId: {host}/api/data/v9.2/accounts(aa110000-0000-0000-0000-000000000001)\r\n\r\n\r\n" +
		"--changesetresponse_s1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\n" +
		"HTTP/1.1 201 Created\r\nOData-Version: 4.0\r\nETag: W/\"7002\"\r\nOData-EntityId: {host}/api/data/v9.2/contacts(lastname='Doe',emailaddress1='jd@example.com')\r\n\r\n{}\r\n" +
		"--changesetresponse_s1--\r\n--batchresponse_r1--\r\n"
	c, _ := recorded(t, []exchange{{Method: "POST", Path: "/api/data/v9.2/$batch",
		Body:   "PATCH https://",
		Status: 200, Header: map[string]string{"Content-Type": "multipart/mixed; boundary=batchresponse_r1"}, Reply: reply}})
	res, err := c.WriteRows(context.Background(), "accounts", []providers.Write{
		{Kind: providers.Create, Row: providers.Row{"name": "A"}},
		{Kind: providers.Upsert, Key: providers.Key{{Name: "accountnumber", Value: "A2"}}, Row: providers.Row{"name": "B"}},
	}, providers.BatchOptions{Atomic: true})
	if err != nil {
		t.Fatal(err)
	}
	type short struct {
		Status  int
		Created bool
		ETag    string
	}
	got := []short{{res[0].Status, res[0].Created, res[0].ETag}, {res[1].Status, res[1].Created, res[1].ETag}}
	if diff := cmp.Diff([]short{{204, false, ""}, {201, true, `W/"7002"`}}, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

func TestSampleThrottled(t *testing.T) {
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/api/data/v9.2/WhoAmI", Status: 429,
			Header: map[string]string{"Retry-After": "38", "Content-Type": "application/json; odata.metadata=minimal"},
			Reply:  `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`},
		{Method: "GET", Path: "/api/data/v9.2/WhoAmI", Status: 200,
			Reply: `{"BusinessUnitId":"b0000000-0000-0000-0000-000000000001","UserId":"a0000000-0000-0000-0000-000000000001","OrganizationId":"c0000000-0000-0000-0000-000000000001"}`},
	})
	who, err := c.WhoAmI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if who.UserID != "a0000000-0000-0000-0000-000000000001" {
		t.Errorf("WhoAmI = %+v", who)
	}
}

func TestSampleAlternateKeys(t *testing.T) {
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Keys?$select=" + keySelectList, Status: 200,
			Reply: `{"value":[{"SchemaName":"msdyn_AccountNumberCompanyKey","KeyAttributes":["accountnumber","msdyn_company"],"EntityKeyIndexStatus":"Active","MetadataId":"1dc7b1d2-0000-0000-0000-000000000001"}]}`},
		{Method: "POST", Path: "/api/data/v9.2/EntityDefinitions(LogicalName='new_widget')/Keys",
			Body:   `"KeyAttributes":["new_code"]`,
			Status: http.StatusNoContent, Header: map[string]string{"OData-EntityId": "{host}/api/data/v9.2/EntityDefinitions(5a5a0000-0000-0000-0000-000000000001)/Keys(6b6b0000-0000-0000-0000-000000000002)"}},
		{Method: "GET", Path: "/api/data/v9.2/EntityDefinitions(LogicalName='new_widget')/Keys(6b6b0000-0000-0000-0000-000000000002)?$select=" + keySelectList, Status: 200,
			Reply: `{"SchemaName":"new_WidgetCodeKey","KeyAttributes":["new_code"],"EntityKeyIndexStatus":"Pending","MetadataId":"6b6b0000-0000-0000-0000-000000000002"}`},
	})
	keys, err := c.AlternateKeys(context.Background(), "account")
	if err != nil {
		t.Fatal(err)
	}
	want := []providers.AlternateKey{{ID: "1dc7b1d2-0000-0000-0000-000000000001", SchemaName: "msdyn_AccountNumberCompanyKey",
		Columns: []string{"accountnumber", "msdyn_company"}, Status: providers.KeyActive}}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	k, err := c.CreateAlternateKey(context.Background(), "new_widget", providers.AlternateKey{SchemaName: "new_WidgetCodeKey", DisplayName: "Widget code", Columns: []string{"new_code"}})
	if err != nil {
		t.Fatal(err)
	}
	if k.Status != providers.KeyPending || k.ID != "6b6b0000-0000-0000-0000-000000000002" {
		t.Errorf("created key = %+v", k)
	}
}

func TestSampleDelta(t *testing.T) {
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/api/data/v9.2/cdm_companies?$select=cdm_companycode,cdm_name",
			Want:   map[string]string{"Prefer": "odata.track-changes,odata.maxpagesize=5000"},
			Status: 200, Header: map[string]string{"Preference-Applied": "odata.track-changes"},
			Reply: `{"@odata.context":"{host}/api/data/v9.2/$metadata#cdm_companies(cdm_companycode,cdm_name)",
 "@odata.deltaLink":"{host}/api/data/v9.2/cdm_companies?$select=cdm_companycode,cdm_name&$deltatoken=120044%2111%2f24%2f2026%2010%3a00%3a00",
 "value":[{"@odata.etag":"W/\"900\"","cdm_companycode":"USMF","cdm_name":"Contoso Entertainment System USA","cdm_companyid":"9a1b0000-0000-0000-0000-000000000001"}]}`},
		{Method: "GET", Path: "/api/data/v9.2/cdm_companies?$select=cdm_companycode,cdm_name&$deltatoken=120044!11/24/2026 10:00:00",
			Status: 200,
			Reply: `{"@odata.context":"{host}/api/data/v9.2/$metadata#cdm_companies(cdm_companycode,cdm_name)/$delta",
 "@odata.deltaLink":"{host}/api/data/v9.2/cdm_companies?$select=cdm_companycode,cdm_name&$deltatoken=120051%2111%2f24%2f2026%2010%3a05%3a00",
 "value":[
   {"@odata.etag":"W/\"951\"","cdm_companycode":"DEMF","cdm_name":"Contoso Europe","cdm_companyid":"b2c30000-0000-0000-0000-000000000002"},
   {"@odata.context":"{host}/api/data/v9.2/$metadata#cdm_companies/$deletedEntity","id":"7e7e0000-0000-0000-0000-000000000003","reason":"deleted"}]}`},
	})
	ctx := context.Background()
	first, err := c.Changes(ctx, "cdm_companies", []string{"cdm_companycode", "cdm_name"}, "")
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.Changes(ctx, "cdm_companies", nil, first.Link)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{len(first.Changed), next.Changed[0]["cdm_companycode"], next.Deleted, next.Link != first.Link}
	want := []any{1, "DEMF", []providers.GUID{"7e7e0000-0000-0000-0000-000000000003"}, true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("delta (-want +got):\n%s", diff)
	}
}

// TestCountBeyondTheCap: $count stops at 5,000, so the client pages through the ids and counts them.
func TestCountBeyondTheCap(t *testing.T) {
	ids := func(n int) string {
		rows := make([]string, n)
		for i := range rows {
			rows[i] = `{"accountid":"00000000-0000-0000-0000-000000000001"}`
		}
		return strings.Join(rows, ",")
	}
	c, _ := recorded(t, []exchange{
		{Method: "GET", Path: "/api/data/v9.2/EntityDefinitions?$select=LogicalName,EntitySetName,PrimaryIdAttribute&$filter=EntitySetName eq 'accounts'",
			Status: 200, Reply: `{"value":[{"LogicalName":"account","EntitySetName":"accounts","PrimaryIdAttribute":"accountid"}]}`},
		{Method: "GET", Path: "/api/data/v9.2/accounts?$select=accountid&$filter=statecode eq 0&$count=true",
			Want:   map[string]string{"Prefer": "odata.maxpagesize=5000"},
			Status: 200, Reply: `{"@odata.count":5000,"value":[` + ids(5000) + `],"@odata.nextLink":"{host}/api/data/v9.2/accounts?$select=accountid&$skiptoken=2"}`},
		{Method: "GET", Path: "/api/data/v9.2/accounts?$select=accountid&$skiptoken=2", Status: 200,
			Reply: `{"@odata.count":5000,"value":[` + ids(7) + `]}`},
		{Method: "GET", Path: "/api/data/v9.2/accounts?$select=accountid&$filter=statecode eq 1&$count=true", Status: 200,
			Reply: `{"@odata.count":3,"value":[` + ids(3) + `]}`},
	})
	ctx := context.Background()
	for _, tc := range []struct {
		filter string
		want   int64
	}{{"statecode eq 0", 5007}, {"statecode eq 1", 3}} {
		n, err := c.CountRows(ctx, "accounts", providers.Query{Filter: tc.filter})
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.want {
			t.Errorf("CountRows(%s) = %d, want %d", tc.filter, n, tc.want)
		}
	}
}
