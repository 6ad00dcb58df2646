package codec

import (
	"bytes"
	"encoding/base64"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

const testEmail = "jane.doe@example.com"

// testKey is a distinct, recognisable AES-256 key per seed.
func testKey(seed byte) []byte {
	return bytes.Repeat([]byte{seed}, KeySize)
}

// testKeys holds a key per id (seeded by position) with the first id active.
func testKeys(ids ...string) Keys {
	k := Keys{Active: ids[0], ByID: map[string][]byte{}}
	for i, id := range ids {
		k.ByID[id] = testKey(byte(i + 1))
	}
	return k
}

func b64(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

// mustCodec builds a codec or fails the test.
func mustCodec(t *testing.T, k Keys) converter.PayloadCodec {
	t.Helper()
	c, err := NewCodec(k)
	if err != nil {
		t.Fatalf("NewCodec: got error %v, want nil", err)
	}
	return c
}

// jsonPayload is a payload as the SDK's default converter writes it.
func jsonPayload(t *testing.T, v any) *commonpb.Payload {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayload(v)
	if err != nil {
		t.Fatalf("ToPayload(%v): got error %v, want nil", v, err)
	}
	return p
}
