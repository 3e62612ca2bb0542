package dualwrite

import (
	"fmt"

	"github.com/dwctl/dwctl/providers"
)

// wireExecutions is the answer of ProjectExecutionWithCompanies [O].
type wireExecutions struct {
	ProjectName string           `json:"projectName"`
	Responses   *[]wireExecution `json:"projectExecutionResponses"`
}

type wireExecution struct {
	LegalEntityID   *string `json:"legalEntityId"`
	LegalEntityName string  `json:"legalEntityName"`
	ExecutionStatus *string `json:"executionStatus"`
	UpsertCount     *int    `json:"upsertCount"`
	ErrorCount      *int    `json:"errorCount"`
	RequestID       string  `json:"initialSyncRequestId"`
	Tasks           []struct {
		Legs []wireExecLeg `json:"legs"`
	} `json:"taskExecutionStatuses"`
}

type wireExecLeg struct {
	Status       string          `json:"status"`
	ExportCount  int             `json:"exportRecordCount"`
	Inserted     int             `json:"importRecordsInsertedCount"`
	Updated      int             `json:"importRecordsUpdatedCount"`
	ExportErrors []wireExecError `json:"exportErrors"`
	ImportErrors []wireExecError `json:"importErrors"`
}

type wireExecError struct {
	RecordID     string `json:"recordId"`
	SourceField  string `json:"sourceField"`
	ErrorMessage string `json:"errorMessage"`
}

// maxFirstErrors is how many errors per company the service keeps visible [D: top 5].
const maxFirstErrors = 5

func decodeResults(call string, body []byte) ([]providers.SyncResult, error) {
	var w wireExecutions
	if err := decodeJSON(call, body, &w); err != nil {
		return nil, err
	}
	ch := &checker{call: call}
	if !ch.need("projectExecutionResponses", w.Responses != nil) {
		return nil, ch.err
	}
	out := []providers.SyncResult{}
	newest := ""
	if len(*w.Responses) > 0 {
		newest = (*w.Responses)[0].RequestID
	}
	for i, r := range *w.Responses {
		if r.RequestID != newest {
			continue // an older run: the answer lists the newest first [O: DWMapEngine.cs:1057, 1127-1128]
		}
		p := fmt.Sprintf("projectExecutionResponses[%d]", i)
		ch.need(p+".legalEntityId", r.LegalEntityID != nil)
		ch.need(p+".executionStatus", r.ExecutionStatus != nil)
		ch.need(p+".upsertCount", r.UpsertCount != nil)
		ch.need(p+".errorCount", r.ErrorCount != nil)
		if ch.err != nil {
			return nil, ch.err
		}
		res := providers.SyncResult{Company: *r.LegalEntityID, Status: *r.ExecutionStatus, Upserts: *r.UpsertCount, Errors: *r.ErrorCount}
		for _, t := range r.Tasks {
			for _, leg := range t.Legs {
				for _, e := range append(append([]wireExecError(nil), leg.ExportErrors...), leg.ImportErrors...) {
					if len(res.FirstErrors) < maxFirstErrors {
						res.FirstErrors = append(res.FirstErrors, providers.SyncError{RecordID: e.RecordID, Field: e.SourceField, Message: e.ErrorMessage})
					}
				}
			}
		}
		out = append(out, res)
	}
	return out, nil
}
