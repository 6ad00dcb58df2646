package codec

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// maxKeyIDLen bounds key ids: each one is stored in every encrypted payload's metadata.
const maxKeyIDLen = 64

// Keys are the active key id and every key still needed to decrypt. To rotate, add a new key
// and make it active; payloads written earlier keep decrypting with the key id they name.
type Keys struct {
	Active string
	ByID   map[string][]byte // AES-256 keys, KeySize bytes each
}

// ParseKeys reads "id1:base64key1,id2:base64key2" (the first is active), as kept in an
// environment variable. Keys may be standard or URL-safe base64, padded or not. Errors name
// entries by position and never repeat the input, which holds key material.
func ParseKeys(s string) (Keys, error) {
	if strings.TrimSpace(s) == "" {
		return Keys{}, errors.New("parse codec keys: no keys given (want id:base64key[,id:base64key...])")
	}
	k := Keys{ByID: map[string][]byte{}}
	firstPos := map[string]int{}
	for i, entry := range strings.Split(s, ",") {
		pos := i + 1
		id, encoded, ok := strings.Cut(strings.TrimSpace(entry), ":")
		if !ok {
			return Keys{}, fmt.Errorf("parse codec keys: entry %d: want id:base64key", pos)
		}
		id = strings.TrimSpace(id)
		if err := checkKeyID(id); err != nil {
			return Keys{}, fmt.Errorf("parse codec keys: entry %d: %w", pos, err)
		}
		if prev, dup := firstPos[id]; dup {
			return Keys{}, fmt.Errorf("parse codec keys: entry %d: duplicate key id (same as entry %d)", pos, prev)
		}
		key, err := decodeKey(strings.TrimSpace(encoded))
		if err != nil {
			return Keys{}, fmt.Errorf("parse codec keys: entry %d: %w", pos, err)
		}
		firstPos[id] = pos
		k.ByID[id] = key
		if k.Active == "" {
			k.Active = id
		}
	}
	return k, nil
}

// decodeKey accepts standard and URL-safe base64 with or without padding. Its errors carry no
// part of the input.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	key, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("key is not valid base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d (AES-256)", len(key), KeySize)
	}
	return key, nil
}

// checkKeyID keeps ids short and printable: they travel in payload metadata and error messages.
func checkKeyID(id string) error {
	if id == "" || len(id) > maxKeyIDLen {
		return fmt.Errorf("key id must be 1 to %d characters", maxKeyIDLen)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return errors.New("key id may hold only letters, digits, '.', '_' and '-'")
		}
	}
	return nil
}

// validate checks keys built by hand rather than by ParseKeys.
func (k Keys) validate() error {
	if len(k.ByID) == 0 {
		return errors.New("no keys")
	}
	// An invalid id is not repeated: it may be key material in the wrong field.
	if err := checkKeyID(k.Active); err != nil {
		return fmt.Errorf("active key id: %w", err)
	}
	if _, ok := k.ByID[k.Active]; !ok {
		return fmt.Errorf("active key id %q has no key", k.Active)
	}
	for id, key := range k.ByID {
		if err := checkKeyID(id); err != nil {
			return fmt.Errorf("a key id is invalid: %w", err)
		}
		if len(key) != KeySize {
			return fmt.Errorf("key %q is %d bytes, want %d (AES-256)", id, len(key), KeySize)
		}
	}
	return nil
}
