package dualwrite

import (
	"context"
	"testing"

	"github.com/dwctl/dwctl/providers"
)

const connectionSetJSON = `{"id":"cid-1","name":"cs-1",
 "environments":[{"targetType":"AX","name":"contoso.operations.dynamics.com"},
  {"targetType":"CRM","name":"org","id":"org-1","directUrl":"https://contoso.crm.dynamics.com/",
   "schemas":[{"name":"account","keys":[{"name":"k","fields":["accountnumber","msdyn_company.cdm_companycode"],"isIntegrationKey":true}]}]}],
 "dualWriteDetail":{"isSolutionAware":true,
  "legalEntityMappings":{"mappings":[{"left":{"name":"USMF","id":"usmf"},"right":{"name":"Contoso USA","id":"g1"}}]},
  "alertSettings":[{"name":"outage","state":"Active","errorTypes":["Application"],"threshold":{"count":10,"interval":15,"unitOfTime":"Minutes"},"action":"Pause"}]}}`

func TestChangedAnswersOfOtherCalls(t *testing.T) {
	const mgmt = "/api/DualWriteManagement/1.0/"
	cases := map[string]struct {
		path, answer string
		run          func(c *Client) error
		call, field  string
		problem      string
	}{
		"environment without cid": {path: "GET " + mgmt + "Environments", answer: `[{"cname":"cs","detail":{"isSolutionAware":true}}]`,
			run: func(c *Client) error { _, _, err := c.Link(context.Background()); return err }, call: "GET Environments", field: "[0].cid", problem: "is missing"},
		"two links": {path: "GET " + mgmt + "Environments", answer: `[{},{}]`,
			run: func(c *Client) error { _, _, err := c.Link(context.Background()); return err }, call: "GET Environments", field: "(body)", problem: "1:1"},
		"connection set without alert settings": {path: "GET /api/ConnectionSet/cs-1",
			answer: `{"id":"cid-1","name":"cs-1","environments":[],"dualWriteDetail":{"legalEntityMappings":{"mappings":[]}}}`,
			run:    func(c *Client) error { _, err := c.Alerts(context.Background(), testLink); return err },
			call:   "GET api/ConnectionSet/cs-1", field: "dualWriteDetail.alertSettings", problem: "is missing"},
		"unknown alert unit": {path: "GET /api/ConnectionSet/cs-1",
			answer: `{"id":"cid-1","name":"cs-1","environments":[],"dualWriteDetail":{"legalEntityMappings":{"mappings":[]},"alertSettings":[{"name":"a","errorTypes":[],"action":"Stop","threshold":{"count":1,"interval":1,"unitOfTime":"Fortnights"}}]}}`,
			run:    func(c *Client) error { _, err := c.Alerts(context.Background(), testLink); return err },
			call:   "GET api/ConnectionSet/cs-1", field: "dualWriteDetail.alertSettings[0].threshold.unitOfTime", problem: `"Fortnights"`},
		"start without request id": {path: "POST " + mgmt + "Start", answer: `{"id":"r1"}`,
			run: func(c *Client) error {
				_, err := c.Act(context.Background(), testLink, providers.ActionStop, []providers.Map{{TemplateID: "t"}}, providers.ActionOptions{})
				return err
			}, call: "POST Start", field: "requestId", problem: "is missing"},
		"unknown transform": {path: "GET " + mgmt + "Templates/t1/FieldMappings",
			answer: `{"entityMappingTasks":[{"legs":[{"sourceEnvironmentType":"AX","sourceSchema":"CustomersV3","destinationSchema":"accounts","fieldMappings":[{"syncDirection":"3","sourceField":"A","destinationField":"a","valueTransforms":[{"transformType":"Concatenate"}]}]}]}]}`,
			run:    func(c *Client) error { _, err := c.MapDefinition(context.Background(), testLink, "t1"); return err },
			call:   "GET Templates/t1/FieldMappings", field: "entityMappingTasks[0].legs[0].fieldMappings[0].valueTransforms[0].transformType", problem: `"Concatenate"`},
		"unknown direction": {path: "GET " + mgmt + "Templates/t1/FieldMappings",
			answer: `{"entityMappingTasks":[{"legs":[{"sourceEnvironmentType":"AX","sourceSchema":"CustomersV3","destinationSchema":"accounts","fieldMappings":[{"syncDirection":"4","sourceField":"A","destinationField":"a"}]}]}]}`,
			run:    func(c *Client) error { _, err := c.MapDefinition(context.Background(), testLink, "t1"); return err },
			call:   "GET Templates/t1/FieldMappings", field: "entityMappingTasks[0].legs[0].fieldMappings[0].syncDirection", problem: `"4"`},
		"no F&O leg": {path: "GET " + mgmt + "Templates/t1/FieldMappings",
			answer: `{"entityMappingTasks":[{"legs":[{"sourceEnvironmentType":"CRM"}]}]}`,
			run:    func(c *Client) error { _, err := c.MapDefinition(context.Background(), testLink, "t1"); return err },
			call:   "GET Templates/t1/FieldMappings", field: "entityMappingTasks[0].legs", problem: "AX"},
		"results without upsert count": {path: "GET /api/ProjectExecutionWithCompanies/p1",
			answer: `{"projectExecutionResponses":[{"legalEntityId":"USMF","executionStatus":"Completed","errorCount":0}]}`,
			run: func(c *Client) error {
				_, err := c.InitialSyncResults(context.Background(), testLink, providers.Map{ProjectID: "p1"})
				return err
			}, call: "GET api/ProjectExecutionWithCompanies/p1", field: "projectExecutionResponses[0].upsertCount", problem: "is missing"},
		"not JSON": {path: "GET " + mgmt + "Entities", answer: `<html>sign in</html>`,
			run:  func(c *Client) error { _, err := c.Maps(context.Background(), testLink); return err },
			call: "GET Entities", field: "(body)", problem: "not the JSON"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := newRecorded(t, map[string][]string{tc.path: {tc.answer}}, PollOptions{})
			assertChanged(t, tc.run(c), tc.call, tc.field, tc.problem)
		})
	}
}

func TestConnectionSetReads(t *testing.T) {
	c, _ := newRecorded(t, map[string][]string{
		"GET /api/DualWriteManagement/1.0/Environments": {`[{"cid":"cid-1","cname":"cs-1","detail":{"isSolutionAware":true}}]`},
		"GET /api/ConnectionSet/cs-1":                   {connectionSetJSON},
	}, PollOptions{})
	ctx := context.Background()
	link, found, err := c.Link(ctx)
	if err != nil || !found {
		t.Fatalf("Link = %v, %v", found, err)
	}
	want := providers.LinkInfo{ConnectionSetID: "cid-1", ConnectionSetName: "cs-1", FinOpsEnvironment: "contoso.operations.dynamics.com",
		DataverseEnvironment: "https://contoso.crm.dynamics.com", DataverseOrganization: "org-1", SolutionAware: true}
	if link != want {
		t.Errorf("link = %+v, want %+v", link, want)
	}
	les, err := c.LegalEntities(ctx, link)
	if err != nil || len(les) != 1 || les[0] != (providers.LegalEntity{Code: "USMF", Name: "Contoso USA"}) {
		t.Errorf("legal entities = %+v, %v", les, err)
	}
	keys, err := c.IntegrationKeys(ctx, link)
	if err != nil || len(keys["account"]) != 2 {
		t.Errorf("keys = %v, %v", keys, err)
	}
	alerts, err := c.Alerts(ctx, link)
	if err != nil || len(alerts) != 1 || alerts[0].Within.Minutes() != 15 || alerts[0].Action != "pause" || alerts[0].Errors[0] != "application" {
		t.Errorf("alerts = %+v, %v", alerts, err)
	}
}

func FuzzDecodeMaps(f *testing.F) {
	f.Add([]byte(`[{"leftEntity":{"name":"A"},"rightEntity":{"name":"a"},"detail":{"tid":"t","tName":"A (as)","state":"4","template":{"id":"t","author":"M","version":{"major":1,"minor":0,"build":0,"revision":1}},"templates":[],"lastRequests":[{"requestId":"r","state":"2"}]}}]`))
	f.Add([]byte(`[{"detail":{"state":7}}]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		maps, err := decodeMaps("GET Entities", body)
		if err != nil {
			if !IsChanged(err) {
				t.Fatalf("error %v is not a ChangedError", err)
			}
			return
		}
		for i := range maps {
			m := maps[i].toMap()
			if !m.State.Valid() {
				t.Fatalf("accepted an unknown state %v", m.State)
			}
		}
	})
}

func FuzzDecodeDefinition(f *testing.F) {
	f.Add([]byte(`{"entityMappingTasks":[{"legs":[{"sourceEnvironmentType":"AX","sourceSchema":"A","destinationSchema":"as","fieldMappings":[{"syncDirection":"3","sourceField":"X","destinationField":"x","valueTransforms":[{"transformType":"Default","defaultValue":3}]}]}]}]}`))
	f.Add([]byte(`{"entityMappingTasks":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		def, err := decodeDefinition("GET Templates/t/FieldMappings", body)
		if err != nil {
			if !IsChanged(err) {
				t.Fatalf("error %v is not a ChangedError", err)
			}
			return
		}
		for _, fm := range def.Fields {
			if fm.Direction < 1 || fm.Direction > 3 {
				t.Fatalf("accepted direction %d", fm.Direction)
			}
		}
	})
}
