package numbering

import (
	"fmt"
	"strings"
	"time"
)

// timeField is a component of a timestamp.
type timeField int

const (
	fieldYear timeField = iota
	fieldMonth
	fieldDay
	fieldHour
	fieldMinute
	fieldSecond
	fieldFraction // ten-millionths of a second, 0..9999999
	fieldCount
	fieldNone timeField = -1 // literal text
)

// timeToken is one element of a .NET date-time format: a custom format
// specifier (letter repeated count times) or literal text.
type timeToken struct {
	field  timeField
	letter byte
	count  int
	text   string // literal text when field is fieldNone
	offset int    // in the whole autonumber format
}

// DateTimeFormat is a parsed .NET date and time format string, as used by
// {DATETIMEUTC:fmt}. The custom specifiers supported are y (1-9 repeats), M,
// MM, MMM, MMMM, d, dd, H, HH, h, hh, m, mm, s, ss, f..fffffff, F..FFFFFFF, t
// and tt; quoted text ('...' or "..."), backslash escapes and '%' are
// honoured; the single-letter standard formats "s", "u" and "o" are expanded.
// Month names and AM/PM designators are the invariant culture's, and ':' and
// '/' are written as themselves: the culture of the Dataverse server is not
// documented [I]. Letters that .NET would copy silently are rejected (quote
// them) except 'T' and 'Z', common in ISO 8601 formats; day names (ddd, dddd),
// eras (g) and time zones (z, K) are rejected because they cannot be analysed
// without the calendar or are not meaningful for a UTC timestamp.
type DateTimeFormat struct {
	Source string
	tokens []timeToken
}

var standardFormats = map[string]string{
	"s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
	"u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
	"o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'",
	"O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'",
}

var specifierField = map[byte]timeField{
	'y': fieldYear, 'M': fieldMonth, 'd': fieldDay, 'H': fieldHour, 'h': fieldHour,
	'm': fieldMinute, 's': fieldSecond, 'f': fieldFraction, 'F': fieldFraction, 't': fieldHour,
}

// parseDateTime parses fmt, which starts at byte start of the autonumber
// format whole (for error offsets).
func parseDateTime(whole string, start int, fmtText string) (*DateTimeFormat, error) {
	if fmtText == "" {
		return nil, parseErr(whole, start, 0, "the {DATETIMEUTC} format is empty; use e.g. yyyyMMdd")
	}
	d := &DateTimeFormat{Source: fmtText}
	if len(fmtText) == 1 {
		expanded, ok := standardFormats[fmtText]
		if !ok {
			return nil, parseErr(whole, start, 1, "%q is a culture-dependent .NET standard format; write a custom format such as yyyyMMdd", fmtText)
		}
		toks, err := scanDateTime(expanded, 0, expanded)
		if err != nil {
			return nil, err
		}
		for i := range toks {
			toks[i].offset = start
		}
		d.tokens = toks
		return d, nil
	}
	toks, err := scanDateTime(whole, start, fmtText)
	if err != nil {
		return nil, err
	}
	d.tokens = toks
	return d, nil
}

func scanDateTime(whole string, start int, s string) ([]timeToken, error) {
	var toks []timeToken
	literal := func(text string, at int) {
		if n := len(toks); n > 0 && toks[n-1].field == fieldNone {
			toks[n-1].text += text
			return
		}
		toks = append(toks, timeToken{field: fieldNone, text: text, offset: start + at})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, parseErr(whole, start+i, len(s)-i, "the quoted text is not closed; add a closing %c", c)
			}
			literal(s[i+1:i+1+end], i)
			i += end + 2
		case c == '\\':
			if i+1 == len(s) {
				return nil, parseErr(whole, start+i, 1, "a backslash must be followed by the character it escapes")
			}
			literal(s[i+1:i+2], i)
			i += 2
		case c == '%':
			if _, ok := specifierField[s[min(i+1, len(s)-1)]]; i+1 == len(s) || !ok {
				return nil, parseErr(whole, start+i, 1, "'%%' must be followed by a format specifier such as d or M")
			}
			tok, err := specifier(whole, start, s, i+1, true)
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok)
			i += 2
		case isLetter(c):
			tok, err := specifier(whole, start, s, i, false)
			if err != nil {
				return nil, err
			}
			if tok.field == fieldNone {
				literal(tok.text, i)
			} else {
				toks = append(toks, tok)
			}
			i += max(tok.count, 1)
		default:
			literal(s[i:i+1], i)
			i++
		}
	}
	return toks, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// specifier reads the run of the letter at s[i] (only one letter when single).
func specifier(whole string, start int, s string, i int, single bool) (timeToken, error) {
	c := s[i]
	n := 1
	for !single && i+n < len(s) && s[i+n] == c {
		n++
	}
	tok := timeToken{letter: c, count: n, offset: start + i}
	bad := func(msg string, args ...any) (timeToken, error) {
		return timeToken{}, parseErr(whole, start+i, n, msg, args...)
	}
	field, known := specifierField[c]
	switch {
	case c == 'T' || c == 'Z':
		return timeToken{field: fieldNone, text: s[i : i+1], count: 1}, nil
	case c == 'd' && n >= 3:
		return bad("day names (%s) are not supported; use d or dd", s[i:i+n])
	case c == 'g' || c == 'z' || c == 'K':
		return bad("the specifier %q (era or time zone) is not supported in a UTC autonumber", s[i:i+n])
	case !known:
		return bad("%q is not a .NET date-time format specifier; put literal text in quotes, e.g. '%s'", s[i:i+1], s[i:i+1])
	case (c == 'f' || c == 'F') && n > 7:
		return bad("at most 7 fraction digits (%c) are allowed", c)
	case c == 'y' && n > 9:
		return bad("at most 9 year digits (y) are allowed")
	}
	tok.field = field
	return tok, nil
}

// components are the parts of a timestamp a token prints.
type components [fieldCount]int

func componentsOf(t time.Time) components {
	t = t.UTC()
	return components{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 100}
}

// Format formats t (in UTC) as Dataverse fills {DATETIMEUTC:fmt}.
func (d *DateTimeFormat) Format(t time.Time) string {
	c := componentsOf(t)
	var sb strings.Builder
	for _, tok := range d.tokens {
		sb.WriteString(tok.format(c))
	}
	return sb.String()
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// format prints the token for the timestamp's components.
func (tok timeToken) format(c components) string {
	digits := func(v, width int) string { return fmt.Sprintf("%0*d", min(width, 2), v) }
	switch tok.letter {
	case 0:
		return tok.text
	case 'y':
		if tok.count <= 2 {
			return fmt.Sprintf("%0*d", tok.count, c[fieldYear]%100)
		}
		return fmt.Sprintf("%0*d", tok.count, c[fieldYear])
	case 'M':
		switch {
		case tok.count == 3:
			return monthNames[c[fieldMonth]-1][:3]
		case tok.count >= 4:
			return monthNames[c[fieldMonth]-1]
		}
		return digits(c[fieldMonth], tok.count)
	case 'd':
		return digits(c[fieldDay], tok.count)
	case 'H':
		return digits(c[fieldHour], tok.count)
	case 'h':
		h := c[fieldHour] % 12
		if h == 0 {
			h = 12
		}
		return digits(h, tok.count)
	case 't':
		ampm := "AM"
		if c[fieldHour] >= 12 {
			ampm = "PM"
		}
		return ampm[:min(tok.count, 2)]
	case 'm':
		return digits(c[fieldMinute], tok.count)
	case 's':
		return digits(c[fieldSecond], tok.count)
	case 'f':
		return fmt.Sprintf("%07d", c[fieldFraction])[:tok.count]
	case 'F':
		return strings.TrimRight(fmt.Sprintf("%07d", c[fieldFraction])[:tok.count], "0")
	}
	return tok.text
}
