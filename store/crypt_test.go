package store

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

func newTestCipher(t *testing.T, key []byte) *Cipher {
	t.Helper()
	c, err := NewCipher(key)
	if err != nil {
		t.Fatalf("NewCipher: got error %v, want nil", err)
	}
	return c
}

func TestCipherRoundTrip(t *testing.T) {
	c := newTestCipher(t, testKey())
	tests := []struct{ name, plaintext string }{
		{"empty stays empty", ""},
		{"short", "x"},
		{"token", "eyJhbGciOiJSUzI1NiJ9.payload.sig"},
		{"unicode", "päßwörd ✓"},
		{"long", strings.Repeat("0123456789", 1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := c.Encrypt(tt.plaintext)
			mustDo(t, "Encrypt", err)
			if tt.plaintext == "" && sealed != "" {
				t.Errorf("Encrypt(\"\"): got %q, want \"\"", sealed)
			}
			if tt.plaintext != "" && !strings.HasPrefix(sealed, "v1:") {
				t.Errorf("Encrypt: got %q, want a v1: prefix", sealed)
			}
			// Short plaintexts can occur in base64 by chance; only long ones prove anything.
			if len(tt.plaintext) >= 8 && strings.Contains(sealed, tt.plaintext) {
				t.Errorf("Encrypt: got %q, want no plaintext in it", sealed)
			}
			got, err := c.Decrypt(sealed)
			mustDo(t, "Decrypt", err)
			if got != tt.plaintext {
				t.Errorf("Decrypt: got %q, want %q", got, tt.plaintext)
			}
		})
	}
}

func TestCipherFormat(t *testing.T) {
	c := newTestCipher(t, testKey())
	a, err := c.Encrypt("same secret")
	mustDo(t, "Encrypt", err)
	b, err := c.Encrypt("same secret")
	mustDo(t, "Encrypt", err)
	if a == b {
		t.Errorf("two encryptions of one plaintext: got equal %q, want different (random nonce)", a)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "v1:"))
	mustDo(t, "decode", err)
	if want := 12 + len("same secret") + 16; len(raw) != want {
		t.Errorf("sealed length: got %d, want %d (12-byte nonce, ciphertext, 16-byte tag)", len(raw), want)
	}
}

func TestCipherDecryptFailures(t *testing.T) {
	c := newTestCipher(t, testKey())
	sealed, err := c.EncryptWithAD("secret", "acme\x00access_token")
	mustDo(t, "EncryptWithAD", err)
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	flipped := bytes.Clone(raw)
	flipped[len(flipped)-1] ^= 1

	tests := []struct {
		name       string
		cipher     *Cipher
		ciphertext string
		ad         string
	}{
		{"other key", newTestCipher(t, otherKey()), sealed, "acme\x00access_token"},
		{"other account", c, sealed, "other\x00access_token"},
		{"other column", c, sealed, "acme\x00refresh_token"},
		{"no additional data", c, sealed, ""},
		{"tampered", c, "v1:" + base64.StdEncoding.EncodeToString(flipped), "acme\x00access_token"},
		{"no version prefix", c, strings.TrimPrefix(sealed, "v1:"), "acme\x00access_token"},
		{"unknown version", c, "v2:" + strings.TrimPrefix(sealed, "v1:"), "acme\x00access_token"},
		{"not base64", c, "v1:***", "acme\x00access_token"},
		{"too short", c, "v1:" + base64.StdEncoding.EncodeToString(raw[:20]), "acme\x00access_token"},
		{"plaintext stored by mistake", c, "secret", "acme\x00access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cipher.DecryptWithAD(tt.ciphertext, tt.ad)
			if err == nil {
				t.Fatalf("DecryptWithAD: got %q, nil error, want an error", got)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error: got %q, want no plaintext in it", err)
			}
		})
	}
}

func TestNewCipherKeyLength(t *testing.T) {
	tests := []struct {
		size    int
		wantErr bool
	}{{0, true}, {16, true}, {24, true}, {31, true}, {32, false}, {33, true}, {64, true}}
	for _, tt := range tests {
		_, err := NewCipher(make([]byte, tt.size))
		if (err != nil) != tt.wantErr {
			t.Errorf("NewCipher(%d bytes): got error %v, want error %v", tt.size, err, tt.wantErr)
		}
	}
}

func TestParseKey(t *testing.T) {
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = byte(i*7 + 250) // includes bytes that differ between base64 alphabets
	}
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "hex lower", in: hex.EncodeToString(key)},
		{name: "hex upper", in: strings.ToUpper(hex.EncodeToString(key))},
		{name: "base64 std", in: base64.StdEncoding.EncodeToString(key)},
		{name: "base64 std raw", in: base64.RawStdEncoding.EncodeToString(key)},
		{name: "base64 url", in: base64.URLEncoding.EncodeToString(key)},
		{name: "base64 url raw", in: base64.RawURLEncoding.EncodeToString(key)},
		{name: "surrounding whitespace", in: "  " + base64.StdEncoding.EncodeToString(key) + "\n"},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: "   ", wantErr: true},
		{name: "hex 31 bytes", in: hex.EncodeToString(key[:31]), wantErr: true},
		{name: "hex 33 bytes", in: hex.EncodeToString(append(bytes.Clone(key), 1)), wantErr: true},
		{name: "base64 16 bytes", in: base64.StdEncoding.EncodeToString(key[:16]), wantErr: true},
		{name: "base64 48 bytes", in: base64.StdEncoding.EncodeToString(bytes.Repeat(key, 2)[:48]), wantErr: true},
		{name: "64 chars not hex", in: strings.Repeat("zz", 32), wantErr: true},
		{name: "passphrase", in: "correct horse battery staple", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseKey: got %x, nil error, want an error", got)
				}
				if trimmed := strings.TrimSpace(tt.in); trimmed != "" && strings.Contains(err.Error(), trimmed) {
					t.Errorf("error: got %q, want the key not echoed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKey: got error %v, want nil", err)
			}
			if !bytes.Equal(got, key) {
				t.Errorf("ParseKey: got %x, want %x", got, key)
			}
		})
	}
}

func TestCipherStringRedacted(t *testing.T) {
	c := newTestCipher(t, testKey())
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, c); got != "store.Cipher(redacted)" {
			t.Errorf("fmt %s: got %q, want %q", format, got, "store.Cipher(redacted)")
		}
	}
}
