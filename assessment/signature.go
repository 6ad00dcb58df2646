package assessment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultSignatureTolerance is used when VerifySignature is given a tolerance <= 0,
// so a zero value in config cannot switch replay protection off.
const DefaultSignatureTolerance = 5 * time.Minute

// maxSignatureHeader bounds the work an attacker can make us do per request.
const maxSignatureHeader = 4096

var (
	// ErrBadSignature: missing or malformed header, or no signature matches. Answer 401.
	ErrBadSignature = errors.New("assessment: bad signature")
	// ErrStaleSignature: the signature matches but its timestamp is too far from now,
	// a likely replay. Answer 401 too.
	ErrStaleSignature = errors.New("assessment: signature timestamp outside tolerance")
)

// Sign returns the Assessment-Signature header value for body at time t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func Sign(secret string, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// VerifySignature checks header against body and secret, then that its timestamp is
// within tolerance of now (either side). Several v1 entries are accepted so a
// platform can sign with the old and new secret while rotating: any match verifies.
// Errors wrap ErrBadSignature or ErrStaleSignature and never echo the header.
func VerifySignature(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if secret == "" {
		return fmt.Errorf("%w: no secret configured", ErrBadSignature)
	}
	if tolerance <= 0 {
		tolerance = DefaultSignatureTolerance
	}
	ts, sigs, err := parseSignatureHeader(header)
	if err != nil {
		return err
	}
	want := mac(secret, ts, body)
	matched := false
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err != nil {
			continue // another entry may still match
		}
		if hmac.Equal(got, want) {
			matched = true
		}
	}
	if !matched {
		return fmt.Errorf("%w: no v1 signature matches", ErrBadSignature)
	}
	unix, _ := strconv.ParseInt(ts, 10, 64) // validated by parseSignatureHeader
	if skew := now.Sub(time.Unix(unix, 0)).Abs(); skew > tolerance {
		return fmt.Errorf("%w: off by %s", ErrStaleSignature, skew.Round(time.Second))
	}
	return nil
}

// parseSignatureHeader splits "t=…,v1=…[,v1=…]". Unknown keys are ignored so a
// future scheme (v2) can be sent alongside v1.
func parseSignatureHeader(header string) (ts string, sigs []string, err error) {
	if header == "" {
		return "", nil, fmt.Errorf("%w: missing %s header", ErrBadSignature, SignatureHeader)
	}
	if len(header) > maxSignatureHeader {
		return "", nil, fmt.Errorf("%w: header too long", ErrBadSignature)
	}
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", nil, fmt.Errorf("%w: malformed header", ErrBadSignature)
		}
		switch k {
		case "t":
			if ts != "" {
				return "", nil, fmt.Errorf("%w: more than one timestamp", ErrBadSignature)
			}
			if n, perr := strconv.ParseInt(v, 10, 64); perr != nil || n <= 0 {
				return "", nil, fmt.Errorf("%w: malformed timestamp", ErrBadSignature)
			}
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == "" {
		return "", nil, fmt.Errorf("%w: missing timestamp", ErrBadSignature)
	}
	if len(sigs) == 0 {
		return "", nil, fmt.Errorf("%w: missing v1 signature", ErrBadSignature)
	}
	return ts, sigs, nil
}
