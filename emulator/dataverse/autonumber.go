package dataverse

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
)

// defaultAutoNumberSeed is where {SEQNUM} starts when no seed was set [D].
const defaultAutoNumberSeed = 1000

var autoNumberToken = regexp.MustCompile(`\{(SEQNUM|RANDSTRING|DATETIMEUTC):([^}]*)\}`)

func autoNumberKey(table, column string) string { return "autonumber/" + table + "/" + column }

// fillAutoNumbers generates the autonumber columns of t that fields does not set.
func (dv *Service) fillAutoNumbers(ctx context.Context, t *store.Table, data, fields map[string]any) *wire.Error {
	for _, c := range t.Columns {
		if c.AutoNumberFormat == "" {
			continue
		}
		if v, set := fields[c.Name]; set && v != nil && v != "" {
			continue
		}
		val, aerr := dv.nextAutoNumber(ctx, t, &c)
		if aerr != nil {
			return aerr
		}
		data[c.Name] = val
	}
	return nil
}

// nextAutoNumber renders the format of c once, taking a sequence number when the format has one.
// Placeholders are checked only here, at the first save, as the service does [D].
func (dv *Service) nextAutoNumber(ctx context.Context, t *store.Table, c *store.Column) (string, *wire.Error) {
	var aerr *wire.Error
	seqUsed := false
	var seq int64
	out := autoNumberToken.ReplaceAllStringFunc(c.AutoNumberFormat, func(tok string) string {
		m := autoNumberToken.FindStringSubmatch(tok)
		switch m[1] {
		case "SEQNUM":
			n, err := strconv.Atoi(m[2])
			if err != nil || n < 1 {
				aerr = invalidArgument("The SEQNUM placeholder of %s needs a positive length.", c.Name)
				return ""
			}
			if !seqUsed {
				var err error
				if seq, err = dv.takeSequence(ctx, t.Name, c.Name); err != nil {
					aerr = wire.StoreError(err)
				}
				seqUsed = true
			}
			s := strconv.FormatInt(seq, 10)
			return strings.Repeat("0", max(0, n-len(s))) + s
		case "RANDSTRING":
			n, err := strconv.Atoi(m[2])
			if err != nil || n < 1 || n > 6 {
				aerr = invalidArgument("Invalid Argument: RANDSTRING length of %s must be between 1 and 6.", c.Name)
				return ""
			}
			return randString(n)
		default:
			return formatDotNetTime(dv.clock().UTC(), m[2])
		}
	})
	return out, aerr
}

func invalidArgument(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusBadRequest, wire.CodeInvalidArgument, format, args...)
}

// takeSequence returns the next sequence value of a column and advances it.
func (dv *Service) takeSequence(ctx context.Context, table, column string) (int64, error) {
	key := autoNumberKey(table, column) + "/next"
	var n int64
	err := dv.store.Update(ctx, func(ctx context.Context) error {
		v, err := dv.store.Setting(ctx, key)
		if err != nil {
			return err
		}
		n = defaultAutoNumberSeed
		if v != "" {
			n, _ = strconv.ParseInt(v, 10, 64)
		}
		return dv.store.SetSetting(ctx, key, strconv.FormatInt(n+1, 10))
	})
	return n, err
}

const randAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = randAlphabet[rand.IntN(len(randAlphabet))]
	}
	return string(b)
}

// dvAutoNumberAction serves SetAutoNumberSeed (204), GetAutoNumberSeed and GetNextAutoNumberValue (200).
func (dv *Service) dvAutoNumberAction(w http.ResponseWriter, r *http.Request, action string) {
	if r.Method != http.MethodPost {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusMethodNotAllowed, wire.CodeNotSupported, "%s is an action: use POST.", action))
		return
	}
	var p struct {
		EntityName, AttributeName string
		Value                     *int64
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&p); err != nil {
		wire.WriteError(w, store.Dataverse, wire.NewError(http.StatusBadRequest, wire.CodeBadRequest, "The body of %s is not valid: %v", action, err))
		return
	}
	t, ok := dv.store.Table(store.Dataverse, p.EntityName)
	var c *store.Column
	if ok {
		c, ok = t.Column(p.AttributeName)
	}
	if !ok || c.AutoNumberFormat == "" {
		wire.WriteError(w, store.Dataverse, invalidArgument("%s.%s is not an autonumber attribute.", p.EntityName, p.AttributeName))
		return
	}
	ctx, key := r.Context(), autoNumberKey(t.Name, c.Name)
	switch action {
	case "SetAutoNumberSeed":
		if p.Value == nil {
			wire.WriteError(w, store.Dataverse, invalidArgument("SetAutoNumberSeed needs a Value."))
			return
		}
		v := strconv.FormatInt(*p.Value, 10)
		err := dv.store.Update(ctx, func(ctx context.Context) error {
			if err := dv.store.SetSetting(ctx, key+"/seed", v); err != nil {
				return err
			}
			return dv.store.SetSetting(ctx, key+"/next", v)
		})
		if err != nil {
			wire.WriteError(w, store.Dataverse, wire.StoreError(err))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "GetAutoNumberSeed":
		wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": dv.base + "/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.GetAutoNumberSeedResponse",
			"AutoNumberSeedValue": dv.settingInt(r, key+"/seed")})
	default:
		wire.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": dv.base + "/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.GetNextAutoNumberValueResponse",
			"NextAutoNumberValue": dv.settingInt(r, key+"/next")})
	}
}

func (dv *Service) settingInt(r *http.Request, key string) int64 {
	v, _ := dv.store.Setting(r.Context(), key)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	return defaultAutoNumberSeed
}
