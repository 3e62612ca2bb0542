package dualwrite

import (
	"context"
	"testing"

	"github.com/dwctl/dwctl/providers"
)

const mgmtPath = "/api/DualWriteManagement/1.0/"

func TestChangedAnswersOfOtherCalls(t *testing.T) {
	cs := func(env string) string {
		return `{"id":"cid-1","name":"cs-1","environments":` + env + `,"dualWriteDetail":{"legalEntityMappings":{"mappings":[]},"alertSettings":[]}}`
	}
	project := func(legs string) string { return `{"name":"P1","entityMappingTasks":[{"legs":[` + legs + `]}]}` }
	cases := map[string]struct {
		path, answer string
		run          func(c *Client) error
		call, field  string
		problem      string
	}{
		"environment without cid": {path: "GET " + mgmtPath + "Environments", answer: `[{"cname":"cs","detail":{"isSolutionAware":true}}]`,
			run: func(c *Client) error { _, _, err := c.Link(context.Background()); return err }, call: "GET Environments", field: "[0].cid", problem: "is missing"},
		"two links": {path: "GET " + mgmtPath + "Environments", answer: `[{},{}]`,
			run: func(c *Client) error { _, _, err := c.Link(context.Background()); return err }, call: "GET Environments", field: "(body)", problem: "1:1"},
		"environments as an array": {path: "GET /api/ConnectionSet/cs-1", answer: cs(`[{"targetType":"CRM"}]`),
			run:  func(c *Client) error { _, err := c.Details(context.Background(), testLink); return err },
			call: "GET api/ConnectionSet/cs-1", field: "(body)", problem: "not the JSON"},
		"no Dataverse environment": {path: "GET /api/ConnectionSet/cs-1", answer: cs(`{"fo":{"targetType":"AX"}}`),
			run:  func(c *Client) error { _, err := c.Details(context.Background(), testLink); return err },
			call: "GET api/ConnectionSet/cs-1", field: "environments[CRM]", problem: "is missing"},
		"environment without target type": {path: "GET /api/ConnectionSet/cs-1", answer: cs(`{"x":{"name":"x"}}`),
			run:  func(c *Client) error { _, err := c.Details(context.Background(), testLink); return err },
			call: "GET api/ConnectionSet/cs-1", field: `environments["x"].targetType`, problem: "is missing"},
		"legal entity without name": {path: "GET /api/ConnectionSet/cs-1",
			answer: `{"id":"cid-1","name":"cs-1","environments":{"a":{"targetType":"AX"},"c":{"targetType":"CRM"}},"dualWriteDetail":{"legalEntityMappings":{"mappings":[{"left":{"id":"1"}}]}}}`,
			run:    func(c *Client) error { _, err := c.Details(context.Background(), testLink); return err },
			call:   "GET api/ConnectionSet/cs-1", field: "dualWriteDetail.legalEntityMappings.mappings[0].left.name", problem: "is missing"},
		"start without request id": {path: "POST " + mgmtPath + "Start", answer: `{"id":"r1"}`,
			run: func(c *Client) error {
				_, err := c.Act(context.Background(), testLink, providers.ActionStop, []providers.Map{{TemplateID: "t"}}, providers.ActionOptions{})
				return err
			}, call: "POST Start", field: "requestId", problem: "is missing"},
		"unknown transform": {path: "GET " + mgmtPath + "p1/FieldMappings",
			answer: project(`{"sourceEnvironmentType":"AX","sourceSchema":"CustomersV3","destinationSchema":"accounts","fieldMappings":[{"syncDirection":3,"sourceField":"A","destinationField":"a","valueTransforms":[{"transformType":"Concatenate"}]}]}`),
			run: func(c *Client) error {
				_, err := c.MapDefinition(context.Background(), testLink, providers.Map{ProjectID: "p1"})
				return err
			},
			call: "GET {pid}/FieldMappings", field: "entityMappingTasks[0].legs[0].fieldMappings[0].valueTransforms[0].transformType", problem: `"Concatenate"`},
		"unknown direction": {path: "GET " + mgmtPath + "p1/FieldMappings",
			answer: project(`{"sourceEnvironmentType":"AX","sourceSchema":"CustomersV3","destinationSchema":"accounts","fieldMappings":[{"syncDirection":"4","sourceField":"A","destinationField":"a"}]}`),
			run: func(c *Client) error {
				_, err := c.MapDefinition(context.Background(), testLink, providers.Map{ProjectID: "p1"})
				return err
			},
			call: "GET {pid}/FieldMappings", field: "entityMappingTasks[0].legs[0].fieldMappings[0].syncDirection", problem: `"4"`},
		"no F&O leg": {path: "GET " + mgmtPath + "p1/FieldMappings", answer: project(`{"sourceEnvironmentType":"CRM"}`),
			run: func(c *Client) error {
				_, err := c.MapDefinition(context.Background(), testLink, providers.Map{ProjectID: "p1"})
				return err
			},
			call: "GET {pid}/FieldMappings", field: "entityMappingTasks[0].legs", problem: "AX"},
		"results without upsert count": {path: "GET /api/ProjectExecutionWithCompanies/p1",
			answer: `{"projectExecutionResponses":[{"legalEntityId":"USMF","executionStatus":"Completed","errorCount":0}]}`,
			run: func(c *Client) error {
				_, err := c.InitialSyncResults(context.Background(), testLink, providers.Map{ProjectID: "p1"})
				return err
			}, call: "GET api/ProjectExecutionWithCompanies/p1", field: "projectExecutionResponses[0].upsertCount", problem: "is missing"},
		"solution without unique name": {path: "GET " + mgmtPath + "SolutionAware/cid-1/Solutions/", answer: `[{"friendlyname":"x"}]`,
			run:  func(c *Client) error { _, err := c.Solutions(context.Background(), testLink); return err },
			call: "GET SolutionAware/cid-1/Solutions/", field: "[0].uniquename", problem: "is missing"},
		"not JSON": {path: "GET " + mgmtPath + "Entities", answer: `<html>sign in</html>`,
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

func FuzzDecodeMaps(f *testing.F) {
	f.Add([]byte(`[{"leftEntity":{"name":"A"},"rightEntity":{"name":"a"},"detail":{"tid":"t","tName":"as - A","state":"4","template":{"id":"t","author":"M","version":{"major":1,"minor":0,"build":0,"revision":1}},"templates":[{"id":null}],"lastRequests":[{"requestId":"r","state":"2","action":"12"}]}}]`))
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
			m := maps[i].toMap("")
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
		p, err := decodeProject("GET {pid}/FieldMappings", body)
		if err != nil {
			if !IsChanged(err) {
				t.Fatalf("error %v is not a ChangedError", err)
			}
			return
		}
		def, err := p.definition("GET {pid}/FieldMappings")
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

func FuzzDecodeConnectionSet(f *testing.F) {
	f.Add([]byte(`{"id":"c","name":"n","environments":{"a":{"targetType":"AX"},"b":{"targetType":"CDS","schemas":[{"name":"account","keys":[{"name":"userKey","fields":["x"]}]}]}},"dualWriteDetail":{"legalEntityMappings":{"mappings":[{"left":{"name":"usmf"}}]},"alertSettings":[{"name":"a"}]}}`))
	f.Add([]byte(`{"environments":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		cs, err := decodeConnectionSet("GET api/ConnectionSet/n", body)
		if err != nil {
			if !IsChanged(err) {
				t.Fatalf("error %v is not a ChangedError", err)
			}
			return
		}
		_ = legalEntities(cs)
		_ = integrationKeys(cs)
		_, _ = cs.alerts("GET api/ConnectionSet/n")
	})
}
