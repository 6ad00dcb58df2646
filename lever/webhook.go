package lever

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Webhook events assessbridge listens to.
const (
	EventStageChange        = "candidateStageChange"
	EventArchiveChange      = "candidateArchiveChange"
	EventHired              = "candidateHired"
	EventDeleted            = "candidateDeleted"
	EventApplicationCreated = "applicationCreated"
)

// Webhook is a delivery's envelope. Lever signs token+triggeredAt, not the body.
type Webhook struct {
	ID          string          `json:"id"` // sometimes absent
	Event       string          `json:"event"`
	Token       string          `json:"token"`
	Signature   string          `json:"signature"`
	TriggeredAt int64           `json:"triggeredAt"` // ms since epoch
	Data        json.RawMessage `json:"data"`

	// triggeredAtText is triggeredAt's digits as received, which is what Lever signed.
	triggeredAtText string
}

// ParseWebhook decodes a delivery. Its errors are safe to show to the sender: they name
// the missing or malformed field, never its value.
func ParseWebhook(body []byte) (*Webhook, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, errors.New("lever webhook: body is not a JSON object")
	}
	w := &Webhook{}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"event", &w.Event}, {"token", &w.Token}, {"signature", &w.Signature}} {
		if err := json.Unmarshal(m[f.name], f.dst); err != nil || *f.dst == "" {
			return nil, fmt.Errorf("lever webhook: %s missing or not a string", f.name)
		}
	}
	digits, err := triggeredAtDigits(m["triggeredAt"])
	if err != nil {
		return nil, err
	}
	if w.TriggeredAt, err = strconv.ParseInt(digits, 10, 64); err != nil || w.TriggeredAt <= 0 {
		return nil, errors.New("lever webhook: triggeredAt out of range")
	}
	w.triggeredAtText = digits
	if id, ok := m["id"]; ok {
		var r ref
		if r.UnmarshalJSON(id) != nil {
			return nil, errors.New("lever webhook: id is not a string")
		}
		w.ID = string(r)
	}
	if d := bytes.TrimSpace(m["data"]); len(d) > 0 && string(d) != "null" {
		w.Data = d
	}
	return w, nil
}

// triggeredAtDigits accepts a JSON integer or a string of digits.
func triggeredAtDigits(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	s := string(raw)
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			s = ""
		}
	}
	if s == "" || s == "null" {
		return "", errors.New("lever webhook: triggeredAt missing")
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			// A float encoder may write 1.7e12 for an integral number of ms.
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || raw[0] == '"' || f != math.Trunc(f) || f <= 0 || f > 1<<53 {
				return "", errors.New("lever webhook: triggeredAt is not an integer")
			}
			return strconv.FormatInt(int64(f), 10), nil
		}
	}
	return s, nil
}

// Sign returns Lever's signature: lowercase hex HMAC-SHA256 of token followed by
// triggeredAt in decimal, keyed with the webhook's signature token.
func Sign(signatureToken, token string, triggeredAt int64) string {
	return hex.EncodeToString(mac(signatureToken, token+strconv.FormatInt(triggeredAt, 10)))
}

func mac(key, msg string) []byte {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// Verify reports whether the signature matches any of the signature tokens (several
// while a token is rotated), comparing in constant time. Empty tokens never match.
// Replays are the caller's to catch: remember tokens and check TriggeredTime.
func (w *Webhook) Verify(signatureTokens ...string) bool {
	got, err := hex.DecodeString(w.Signature)
	if err != nil || len(got) != sha256.Size || w.Token == "" {
		return false
	}
	// Lever documents triggeredAt "in decimal"; when it arrived as other text (a string with
	// leading zeros, say), the signature may cover either form, so both are accepted.
	forms := []string{strconv.FormatInt(w.TriggeredAt, 10)}
	if w.triggeredAtText != "" && w.triggeredAtText != forms[0] {
		forms = append(forms, w.triggeredAtText)
	}
	ok := false
	for _, key := range signatureTokens {
		for _, ts := range forms {
			if key != "" && hmac.Equal(got, mac(key, w.Token+ts)) {
				ok = true // keep going: time must not depend on which key matched
			}
		}
	}
	return ok
}

// TriggeredTime is TriggeredAt as a time.
func (w *Webhook) TriggeredTime() time.Time {
	return time.UnixMilli(w.TriggeredAt)
}

// ContentHash is hex SHA-256 over what Lever's own retries of a delivery repeat but a replay
// with edited data would not: the event and the data in canonical form (decoded and re-encoded,
// so whitespace, key order and escapes do not count); the id, token and signature are left out.
func (w *Webhook) ContentHash() string {
	h := sha256.New()
	event, _ := json.Marshal(w.Event) // a JSON string: where it ends is unambiguous
	h.Write(event)
	h.Write(canonicalJSON(w.Data))
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalJSON re-encodes raw with sorted keys and numbers as written; absent data is null.
// Data that does not decode (only a Webhook built in code can hold it) is taken as it is,
// after a NUL byte no re-encoding starts with.
func canonicalJSON(raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return []byte("null")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		if b, err := json.Marshal(v); err == nil {
			return b
		}
	}
	return append([]byte{0}, raw...)
}
