package providers

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestError(t *testing.T) {
	cases := map[string]struct {
		err                               *Error
		text                              string
		notFound, precondition, duplicate bool
		throttled, unauthorized           bool
	}{
		"dataverse duplicate key": {
			err: &Error{Environment: "contoso-test", Operation: "create", Table: "accounts", Key: "(accountnumber='A1')",
				Status: 412, Code: CodeDuplicateRecordEntityKey, Message: "Entity Key violated."},
			text:         "contoso-test: create accounts(accountnumber='A1'): 412 Precondition Failed [0x80060892]: Entity Key violated.",
			precondition: true, duplicate: true,
		},
		"finops write failure": {
			err: &Error{Environment: "fo", Operation: "create", Table: "CustomerGroups", Status: 500, Message: "An error has occurred.",
				Detail: "AxODataWriteException: Cannot create a record in Customer groups (CustGroup). The record already exists.."},
			text:      "fo: create CustomerGroups: 500 Internal Server Error: An error has occurred. (AxODataWriteException: Cannot create a record in Customer groups (CustGroup). The record already exists..)",
			duplicate: true,
		},
		"not found":    {err: &Error{Environment: "e", Operation: "get", Status: 404}, text: "e: get: 404 Not Found", notFound: true},
		"throttled":    {err: &Error{Environment: "e", Operation: "list", Status: 429, RetryAfter: time.Second}, text: "e: list: 429 Too Many Requests", throttled: true},
		"unauthorized": {err: &Error{Environment: "e", Operation: "list", Status: 401}, text: "e: list: 401 Unauthorized", unauthorized: true},
		"transport":    {err: &Error{Environment: "e", Operation: "list", Err: errors.New("EOF")}, text: "e: list: EOF"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			wrapped := fmt.Errorf("applying: %w", tc.err)
			got := []any{tc.err.Error(), IsNotFound(wrapped), IsPreconditionFailed(wrapped), IsDuplicateKey(wrapped),
				IsThrottled(wrapped), IsUnauthorized(wrapped)}
			want := []any{tc.text, tc.notFound, tc.precondition, tc.duplicate, tc.throttled, tc.unauthorized}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if IsNotFound(errors.New("x")) || IsDuplicateKey(nil) {
		t.Error("plain errors classified")
	}
}
