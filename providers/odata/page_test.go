package odata

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

func TestDecodePage(t *testing.T) {
	cases := map[string]struct {
		body    string
		want    Page
		wantErr bool
	}{
		"protocols 5.2 first page": {
			body: `{"@odata.context":"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#msdyn_customergroups(msdyn_groupid,msdyn_description)",
 "value":[
  {"@odata.etag":"W/\"1001\"","msdyn_groupid":"10","msdyn_description":"Wholesale","msdyn_customergroupid":"3f2c0000-0000-0000-0000-000000000001"},
  {"@odata.etag":"W/\"1002\"","msdyn_groupid":"20","msdyn_description":"Major","msdyn_customergroupid":"41aa0000-0000-0000-0000-000000000002"}],
 "@odata.nextLink":"https://contoso.crm.dynamics.com/api/data/v9.2/msdyn_customergroups?$select=msdyn_groupid,msdyn_description&$skiptoken=%3Ccookie%20pagenumber=%222%22%20istracking=%22False%22%20/%3E"}`,
			want: Page{
				Rows: []providers.Row{
					{"@odata.etag": `W/"1001"`, "msdyn_groupid": "10", "msdyn_description": "Wholesale", "msdyn_customergroupid": "3f2c0000-0000-0000-0000-000000000001"},
					{"@odata.etag": `W/"1002"`, "msdyn_groupid": "20", "msdyn_description": "Major", "msdyn_customergroupid": "41aa0000-0000-0000-0000-000000000002"},
				},
				NextLink: "https://contoso.crm.dynamics.com/api/data/v9.2/msdyn_customergroups?$select=msdyn_groupid,msdyn_description&$skiptoken=%3Ccookie%20pagenumber=%222%22%20istracking=%22False%22%20/%3E",
				Count:    -1,
			},
		},
		"count and big numbers stay exact": {
			body: `{"@odata.count": 3, "value":[{"Next": 9007199254740993, "Rate": 1.0000000001}]}`,
			want: Page{Rows: []providers.Row{{"Next": json.Number("9007199254740993"), "Rate": json.Number("1.0000000001")}}, Count: 3},
		},
		"single entity": {
			body: `{"@odata.context":"…/$entity","LogicalName":"account"}`,
			want: Page{Rows: []providers.Row{{"@odata.context": "…/$entity", "LogicalName": "account"}}, Count: -1},
		},
		"not json":  {body: `<html>`, wantErr: true},
		"bad value": {body: `{"value": 3}`, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := DecodePage([]byte(tc.body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("error = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecodePage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseError(t *testing.T) {
	cases := map[string]struct {
		body   string
		want   ServiceError
		detail string
		ok     bool
	}{
		"dataverse 429 (protocols 5.6)": {
			body: `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`,
			want: ServiceError{Code: "0x80072322", Message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds."},
			ok:   true,
		},
		"finops AxODataWriteException": {
			body: `{"error":{"code":"","message":"An error has occurred.","innererror":{"message":"Write failed. The record already exists..","type":"Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException","stacktrace":"at X"}}}`,
			want: ServiceError{Message: "An error has occurred.", InnerMessage: "Write failed. The record already exists..",
				InnerType: "Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException"},
			detail: "AxODataWriteException: Write failed. The record already exists..",
			ok:     true,
		},
		"numeric code": {
			body: `{"error":{"code":-2147220969,"message":"x"}}`,
			want: ServiceError{Code: "-2147220969", Message: "x"},
			ok:   true,
		},
		"html":     {body: `<html>502</html>`},
		"no error": {body: `{"value":[]}`},
		"empty":    {body: ``},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseError([]byte(tc.body))
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseError (-want +got):\n%s", diff)
			}
			if got.Detail() != tc.detail {
				t.Errorf("Detail = %q, want %q", got.Detail(), tc.detail)
			}
		})
	}
}

func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"value":[{"a":1}],"@odata.nextLink":"x","@odata.count":1}`))
	f.Add([]byte(`{"a":"b"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := DecodePage(body)
		if err == nil && p.Count < -1 {
			t.Fatalf("count %d", p.Count)
		}
	})
}

func FuzzParseError(f *testing.F) {
	f.Add([]byte(`{"error":{"code":"0x80040217","message":"m","innererror":{"message":"i","type":"t"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok := ParseError(body)
		if !ok && e != (ServiceError{}) {
			t.Fatalf("not ok but %+v", e)
		}
	})
}

func FuzzDecodeCount(f *testing.F) {
	f.Add([]byte("42"))
	f.Add([]byte("\ufeff7\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = DecodeCount(body)
	})
}
