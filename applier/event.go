package applier

import "time"

// The event types, in the order an apply emits them.
const (
	EventApplyStart  = "apply_start"     // Total is the number of actions
	EventActionStart = "action_start"    // Total is the planned rows of a data operation
	EventProgress    = "action_progress" // Rows done so far of Total
	EventActionDone  = "action_done"     // Result, Error, Rows, Serial
	EventApplyDone   = "apply_done"      // Summary, Serial, Error
)

// Event is one step of an apply, for progress lines, bars and apply -json.
// It never carries a secret: errors come from providers, which never hold
// credentials.
type Event struct {
	Type    string    `json:"type"`
	Time    time.Time `json:"time"`
	ID      string    `json:"id,omitempty"`
	Address string    `json:"address,omitempty"`
	Kind    string    `json:"kind,omitempty"`
	Result  Outcome   `json:"result,omitempty"`
	Error   string    `json:"error,omitempty"`
	Rows    int64     `json:"rows,omitempty"`
	Total   int64     `json:"total,omitempty"`
	// Message is a sentence for a person ("USMF: 1,200 upserts, 0 errors").
	Message string `json:"message,omitempty"`
	// Serial is the state serial that records the step.
	Serial  uint64        `json:"serial,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns,omitempty"`
	Summary *Summary      `json:"summary,omitempty"`
}
