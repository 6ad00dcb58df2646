package codec

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestParseKeys(t *testing.T) {
	a, b := testKey(1), testKey(2)
	tests := []struct {
		name       string
		in         string
		wantActive string
		wantKeys   map[string][]byte
	}{
		{"one key", "k1:" + b64(a), "k1", map[string][]byte{"k1": a}},
		{"first is active", "k2:" + b64(b) + ",k1:" + b64(a), "k2", map[string][]byte{"k1": a, "k2": b}},
		{"spaces and newlines", " k2 : " + b64(b) + " ,\n k1:" + b64(a) + "\n", "k2", map[string][]byte{"k1": a, "k2": b}},
		{"url-safe unpadded", "2026-07.a_b:" + base64.RawURLEncoding.EncodeToString(b), "2026-07.a_b", map[string][]byte{"2026-07.a_b": b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKeys(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if k.Active != tt.wantActive {
				t.Errorf("active: got %q, want %q", k.Active, tt.wantActive)
			}
			if len(k.ByID) != len(tt.wantKeys) {
				t.Errorf("key count: got %d, want %d", len(k.ByID), len(tt.wantKeys))
			}
			for id, want := range tt.wantKeys {
				if got := k.ByID[id]; !bytes.Equal(got, want) {
					t.Errorf("key %q: got %x, want %x", id, got, want)
				}
			}
			if _, err := NewCodec(k); err != nil {
				t.Errorf("NewCodec(parsed keys): got error %v, want nil", err)
			}
		})
	}
}

func TestParseKeysRejects(t *testing.T) {
	good := b64(testKey(7))
	short := b64(testKey(7)[:16])
	tests := []struct {
		name    string
		in      string
		secret  string // must not appear in the error
		wantErr string
	}{
		{"empty", "", "", "no keys"},
		{"blank", "  \n", "", "no keys"},
		{"no id", good, good, "entry 1: want id:base64key"},
		{"empty id", ":" + good, good, "entry 1: key id must be"},
		{"bad id characters", "k/1:" + good, good, "entry 1: key id may hold only"},
		{"key in id place", good + ":k1", good, "entry 1: key id may hold only"},
		{"bad base64", "k1:" + good[:10] + "!!" + good[12:], good[:10], "entry 1: key is not valid base64"},
		{"wrong length", "k1:" + short, short, "entry 1: key is 16 bytes, want 32"},
		{"duplicate id", "k1:" + good + ",k2:" + b64(testKey(8)) + ",k1:" + b64(testKey(9)), b64(testKey(9)), "entry 3: duplicate key id (same as entry 1)"},
		{"trailing comma", "k1:" + good + ",", good, "entry 2: want id:base64key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKeys(tt.in)
			if err == nil {
				t.Fatalf("got nil error, want one containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %q, want one containing %q", err, tt.wantErr)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("got error %q, want one without the key text", err)
			}
		})
	}
}

func TestNewCodecRejects(t *testing.T) {
	tests := []struct {
		name    string
		keys    Keys
		wantErr string
	}{
		{"no keys", Keys{Active: "k1"}, "no keys"},
		{"active missing", Keys{Active: "k2", ByID: map[string][]byte{"k1": testKey(1)}}, `active key id "k2" has no key`},
		{"active empty", Keys{ByID: map[string][]byte{"k1": testKey(1)}}, "active key id: key id must be"},
		{"wrong length", Keys{Active: "k1", ByID: map[string][]byte{"k1": testKey(1)[:24]}}, `key "k1" is 24 bytes, want 32`},
		{"bad id", Keys{Active: "k1", ByID: map[string][]byte{"k1": testKey(1), b64(testKey(2)): testKey(2)}}, "a key id is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCodec(tt.keys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), b64(testKey(2))) {
				t.Errorf("got error %q, want one without key material", err)
			}
			if _, err := DataConverter(tt.keys); err == nil {
				t.Errorf("DataConverter: got nil error, want one")
			}
		})
	}
}
