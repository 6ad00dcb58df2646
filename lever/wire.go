package lever

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Decoding helpers for Lever's wire shapes. Exported types carry no custom decoders, so
// they round-trip through other JSON (e.g. Temporal payloads) unchanged.

// ref is a Lever reference that arrives as an id string, an expanded object with an "id",
// or null.
type ref string

func (r *ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*r = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = ref(s)
	case b[0] == '{':
		// The object's id is a plain id, never another object: decoding {"id":{"id":…}} level
		// by level would rescan the body at every level, quadratic work for an unsigned body.
		var o struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		if id := bytes.TrimSpace(o.ID); len(id) > 0 && (id[0] == '{' || id[0] == '[') {
			return errors.New("lever: reference object's id is not an id")
		}
		return r.UnmarshalJSON(o.ID)
	case b[0] == '[':
		return errors.New("lever: reference is an array, want id or object")
	default:
		*r = ref(b) // a number or bool id: keep its text
	}
	return nil
}

// millis is a timestamp in ms that arrives as a JSON number, a string of digits or null.
type millis int64

func (m *millis) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*m = 0
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
		if len(b) == 0 {
			*m = 0
			return nil
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(b), 64) // e.g. 1.7e12 from a float encoder
		if ferr != nil {
			return fmt.Errorf("lever: timestamp %q is not a number", b)
		}
		n = int64(f)
	}
	*m = millis(n)
	return nil
}

// envelope is Lever's {"data": …} wrapper.
type envelope[T any] struct {
	Data T `json:"data"`
}

// page is one page of a Lever list.
type page[T any] struct {
	Data    []T    `json:"data"`
	HasNext bool   `json:"hasNext"`
	Next    string `json:"next"`
}

// unwrapData strips {"data": …} wrappers around an object, however deep, and returns the
// innermost object. An object with its own "id" is never unwrapped further.
func unwrapData(b []byte) []byte {
	for range 3 {
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) != nil {
			return b
		}
		inner, ok := m["data"]
		if _, hasID := m["id"]; !ok || hasID {
			return b
		}
		inner = bytes.TrimSpace(inner)
		if len(inner) == 0 || inner[0] != '{' {
			return b
		}
		b = inner
	}
	return b
}

// valueText is a field value as text: a JSON string as is, null as "", anything else
// (number, bool, array, object) as its JSON text.
type valueText string

func (v *valueText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*v = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = valueText(s)
	default:
		*v = valueText(b)
	}
	return nil
}
