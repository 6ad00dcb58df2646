package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Metadata of an encrypted payload.
const (
	// EncodingEncrypted is the "encoding" metadata value of payloads this codec encrypted.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID names the metadata entry holding the id of the key that encrypted a payload.
	MetadataKeyID = "encryption-key-id"
)

var (
	// ErrUnknownKey means a payload names a key id the codec was not given.
	ErrUnknownKey = errors.New("unknown encryption key id")
	// ErrDecrypt means a payload failed authentication: tampered, truncated or the wrong key.
	ErrDecrypt = errors.New("payload failed to decrypt")
)

// aesCodec encrypts with the active key and decrypts with whichever key a payload names.
type aesCodec struct {
	active string
	aeads  map[string]cipher.AEAD // read-only after NewCodec, so safe for concurrent use
}

// NewCodec returns a payload codec that encrypts each whole payload (data and metadata) with
// AES-256-GCM under the active key and a random nonce, and decrypts payloads it encrypted with
// the key they name. Other payloads pass through Decode unchanged, so history written before
// encryption was switched on stays readable.
//
// Random 96-bit nonces stay safe for about 2^32 payloads per key; rotate well before that.
func NewCodec(k Keys) (converter.PayloadCodec, error) {
	if err := k.validate(); err != nil {
		return nil, fmt.Errorf("codec keys: %w", err)
	}
	c := &aesCodec{active: k.Active, aeads: make(map[string]cipher.AEAD, len(k.ByID))}
	for id, key := range k.ByID {
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("codec key %q: %w", id, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("codec key %q: %w", id, err)
		}
		c.aeads[id] = aead
	}
	return c, nil
}

// Encode encrypts every payload. The key id is authenticated too, so it cannot be swapped.
func (c *aesCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead, keyID := c.aeads[c.active], []byte(c.active)
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encrypt payload %d: marshal: %w", i, err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              keyID,
			},
			Data: aead.Seal(nil, nil, plain, keyID), // nonce drawn and prepended by the AEAD
		}
	}
	return out, nil
}

// Decode decrypts the payloads this codec encrypted and passes the others through.
func (c *aesCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			out[i] = p
			continue
		}
		keyID := p.GetMetadata()[MetadataKeyID]
		aead, ok := c.aeads[string(keyID)]
		if !ok {
			return nil, fmt.Errorf("decrypt payload %d: %w %s", i, ErrUnknownKey, quoteKeyID(keyID))
		}
		plain, err := aead.Open(nil, nil, p.GetData(), keyID)
		if err != nil {
			return nil, fmt.Errorf("decrypt payload %d with key id %q: %w", i, keyID, ErrDecrypt)
		}
		dec := &commonpb.Payload{}
		if err := proto.Unmarshal(plain, dec); err != nil {
			return nil, fmt.Errorf("decrypt payload %d: unmarshal: %w", i, err)
		}
		out[i] = dec
	}
	return out, nil
}

// quoteKeyID quotes an id read from stored history, cut short: it is untrusted input.
func quoteKeyID(id []byte) string {
	if len(id) > maxKeyIDLen {
		return fmt.Sprintf("%q...", id[:maxKeyIDLen])
	}
	return fmt.Sprintf("%q", id)
}
