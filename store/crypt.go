package store

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of the AES-256 key that encrypts secrets at rest.
const KeySize = 32

// ciphertextPrefix versions the stored format so the scheme can change later.
const ciphertextPrefix = "v1:"

// Cipher seals short secrets with AES-256-GCM; the output is "v1:" + base64(nonce|ciphertext)
// with a random 12-byte nonce per message.
type Cipher struct {
	aead cipher.AEAD
}

// NewCipher builds a Cipher from a 32-byte key.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("store: encryption key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("store: encryption key: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("store: encryption key: %w", err)
	}
	return &Cipher{aead: aead}, nil
}

// ParseKey decodes a 32-byte key written as hex or base64 (standard or URL alphabet,
// padded or not). Errors never include the input.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("store: encryption key is empty")
	}
	// Hex first: a 64-character hex string is also valid base64 (of 48 bytes).
	if len(s) == hex.EncodedLen(KeySize) {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("store: encryption key must be %d bytes encoded as base64 or hex (64 hex digits or 44 base64 characters), got %d characters that are neither",
		KeySize, len(s))
}

// Encrypt seals plaintext without additional data; "" stays "".
func (c *Cipher) Encrypt(plaintext string) (string, error) {
	return c.EncryptWithAD(plaintext, "")
}

// Decrypt opens what Encrypt produced; "" stays "".
func (c *Cipher) Decrypt(ciphertext string) (string, error) {
	return c.DecryptWithAD(ciphertext, "")
}

// EncryptWithAD seals plaintext bound to ad (GCM additional data): the result decrypts only
// with the same ad, so a value copied to another row or column fails. "" stays "".
func (c *Cipher) EncryptWithAD(plaintext, ad string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	sealed := c.aead.Seal(nil, nil, []byte(plaintext), []byte(ad))
	return ciphertextPrefix + base64.StdEncoding.EncodeToString(sealed), nil
}

// DecryptWithAD opens what EncryptWithAD produced with the same ad; "" stays "".
func (c *Cipher) DecryptWithAD(ciphertext, ad string) (string, error) {
	if ciphertext == "" {
		return "", nil
	}
	encoded, ok := strings.CutPrefix(ciphertext, ciphertextPrefix)
	if !ok {
		return "", errors.New("store: decrypt: unknown ciphertext format")
	}
	sealed, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", fmt.Errorf("store: decrypt: %w", err)
	}
	if len(sealed) < c.aead.Overhead() { // Overhead counts the nonce and the tag
		return "", errors.New("store: decrypt: ciphertext too short")
	}
	plain, err := c.aead.Open(nil, nil, sealed, []byte(ad))
	if err != nil {
		return "", errors.New("store: decrypt: authentication failed (wrong key, or value moved from another record)")
	}
	return string(plain), nil
}

// String keeps key material out of logs should a Cipher ever be printed.
func (c *Cipher) String() string { return "store.Cipher(redacted)" }

// GoString is String for %#v.
func (c *Cipher) GoString() string { return c.String() }
