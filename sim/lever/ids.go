package lever

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"
)

// newID returns a random UUID, the shape of Lever's ids.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newWebhookToken returns the 48 random characters Lever puts in each delivery.
func newWebhookToken() string {
	b := make([]byte, 48)
	rand.Read(b)
	for i := range b {
		b[i] = tokenAlphabet[int(b[i])%len(tokenAlphabet)]
	}
	return string(b)
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// newSecret returns an opaque, unguessable code or token.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
