package admin

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// signer makes tamper-proof, expiring cookie values: base64url(JSON) "." base64url(HMAC).
// Every value is bound to a purpose, so a flash cookie can never pass as a session.
// Signed values are readable by the browser; seal also encrypts, for the PKCE verifier.
type signer struct{ key []byte }

// envelope wraps a value with its expiry (unix seconds).
type envelope struct {
	Exp int64           `json:"exp"`
	V   json.RawMessage `json:"v"`
}

var errBadCookie = errors.New("cookie invalid or expired")

func (s signer) mac(purpose, payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// envelopeJSON is v with its expiry, as the JSON a cookie carries.
func envelopeJSON(v any, exp time.Time) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Exp: exp.Unix(), V: raw})
}

// encode signs v for purpose, valid until exp.
func (s signer) encode(purpose string, v any, exp time.Time) (string, error) {
	body, err := envelopeJSON(v, exp)
	if err != nil {
		return "", fmt.Errorf("encode %s cookie: %w", purpose, err)
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(purpose, payload)), nil
}

// decode checks the signature and expiry, then unmarshals into v.
func (s signer) decode(purpose, value string, now time.Time, v any) error {
	payload, sig, ok := strings.Cut(value, ".")
	if !ok {
		return errBadCookie
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(purpose, payload)) {
		return errBadCookie
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return errBadCookie
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || now.Unix() >= env.Exp {
		return errBadCookie
	}
	if err := json.Unmarshal(env.V, v); err != nil {
		return errBadCookie
	}
	return nil
}

// token is an HMAC of parts for purpose, as base64url; used for CSRF tokens.
func (s signer) token(purpose string, parts ...string) string {
	return base64.RawURLEncoding.EncodeToString(s.mac(purpose, strings.Join(parts, "\x00")))
}

// aead derives the cookie-encryption key from the session key, so one configured secret
// serves both and neither use can stand in for the other.
func (s signer) aead() (cipher.AEAD, error) {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("assessbridge admin cookie encryption"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal is encode with the value encrypted as well: base64url(nonce | AES-GCM(JSON)), the
// purpose as additional data.
func (s signer) seal(purpose string, v any, exp time.Time) (string, error) {
	body, err := envelopeJSON(v, exp)
	if err != nil {
		return "", fmt.Errorf("seal %s cookie: %w", purpose, err)
	}
	aead, err := s.aead()
	if err != nil {
		return "", fmt.Errorf("seal %s cookie: %w", purpose, err)
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, body, []byte(purpose))), nil
}

// open reverses seal, checking integrity and expiry.
func (s signer) open(purpose, value string, now time.Time, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return errBadCookie
	}
	aead, err := s.aead()
	if err != nil || len(data) < aead.NonceSize() {
		return errBadCookie
	}
	body, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(purpose))
	if err != nil {
		return errBadCookie
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || now.Unix() >= env.Exp {
		return errBadCookie
	}
	if err := json.Unmarshal(env.V, v); err != nil {
		return errBadCookie
	}
	return nil
}
