package codec

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

type candidate struct {
	Name  string
	Email string
	Score int
}

func TestRoundTrip(t *testing.T) {
	c := mustCodec(t, testKeys("k1"))
	tests := []struct {
		name     string
		payloads []*commonpb.Payload
	}{
		{"one json payload", []*commonpb.Payload{jsonPayload(t, candidate{"Jane Doe", testEmail, 87})}},
		{"several kinds", []*commonpb.Payload{
			jsonPayload(t, testEmail),
			jsonPayload(t, nil),
			jsonPayload(t, []byte("raw bytes "+testEmail)),
			{Metadata: map[string][]byte{"encoding": []byte("custom"), "x": []byte(testEmail)}, Data: []byte(testEmail)},
		}},
		{"empty payload", []*commonpb.Payload{{}}},
		{"large payload", []*commonpb.Payload{jsonPayload(t, strings.Repeat(testEmail, 50_000))}},
		{"no payloads", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := clonePayloads(tt.payloads)
			enc, err := c.Encode(tt.payloads)
			if err != nil {
				t.Fatalf("Encode: got error %v, want nil", err)
			}
			if len(enc) != len(tt.payloads) {
				t.Fatalf("Encode: got %d payloads, want %d", len(enc), len(tt.payloads))
			}
			for i, p := range enc {
				if got := string(p.GetMetadata()["encoding"]); got != EncodingEncrypted {
					t.Errorf("payload %d encoding: got %q, want %q", i, got, EncodingEncrypted)
				}
				if got := string(p.GetMetadata()[MetadataKeyID]); got != "k1" {
					t.Errorf("payload %d key id: got %q, want %q", i, got, "k1")
				}
				if raw, _ := proto.Marshal(p); bytes.Contains(raw, []byte("jane.doe")) {
					t.Errorf("payload %d: got plaintext email in the encoded payload, want none", i)
				}
			}
			dec, err := c.Decode(enc)
			if err != nil {
				t.Fatalf("Decode: got error %v, want nil", err)
			}
			for i := range tt.payloads {
				if !proto.Equal(dec[i], tt.payloads[i]) {
					t.Errorf("payload %d: got %v after round trip, want %v", i, dec[i], tt.payloads[i])
				}
			}
			for i := range before {
				if !proto.Equal(before[i], tt.payloads[i]) {
					t.Errorf("payload %d: Encode changed its input", i)
				}
			}
		})
	}
}

func TestNonceDiffersPerEncode(t *testing.T) {
	c := mustCodec(t, testKeys("k1"))
	p := jsonPayload(t, testEmail)
	seen := map[string]bool{}
	for i := range 20 {
		enc, err := c.Encode([]*commonpb.Payload{p})
		if err != nil {
			t.Fatalf("Encode %d: got error %v, want nil", i, err)
		}
		nonce := string(enc[0].GetData()[:12])
		if seen[nonce] {
			t.Fatalf("encode %d: got a nonce seen before, want a fresh one", i)
		}
		seen[nonce] = true
	}
}

func TestDecodeRejects(t *testing.T) {
	c := mustCodec(t, testKeys("k1", "k2"))
	enc, err := c.Encode([]*commonpb.Payload{jsonPayload(t, testEmail)})
	if err != nil {
		t.Fatalf("Encode: got error %v, want nil", err)
	}
	good := enc[0]
	with := func(change func(p *commonpb.Payload)) *commonpb.Payload {
		p := proto.Clone(good).(*commonpb.Payload)
		change(p)
		return p
	}
	tests := []struct {
		name    string
		payload *commonpb.Payload
		wantIs  error
		wantMsg string
	}{
		{"tampered ciphertext", with(func(p *commonpb.Payload) { p.Data[len(p.Data)/2] ^= 1 }), ErrDecrypt, `key id "k1"`},
		{"tampered tag", with(func(p *commonpb.Payload) { p.Data[len(p.Data)-1] ^= 0x80 }), ErrDecrypt, `key id "k1"`},
		{"truncated", with(func(p *commonpb.Payload) { p.Data = p.Data[:8] }), ErrDecrypt, `key id "k1"`},
		{"key id swapped", with(func(p *commonpb.Payload) { p.Metadata[MetadataKeyID] = []byte("k2") }), ErrDecrypt, `key id "k2"`},
		{"unknown key id", with(func(p *commonpb.Payload) { p.Metadata[MetadataKeyID] = []byte("2019-retired") }), ErrUnknownKey, `"2019-retired"`},
		{"no key id", with(func(p *commonpb.Payload) { delete(p.Metadata, MetadataKeyID) }), ErrUnknownKey, `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Decode([]*commonpb.Payload{jsonPayload(t, "fine"), tt.payload})
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("got error %v, want %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "payload 1") {
				t.Errorf("got error %q, want one naming payload 1 and %s", err, tt.wantMsg)
			}
		})
	}
}

func TestDecodePassesUnencryptedThrough(t *testing.T) {
	c := mustCodec(t, testKeys("k1"))
	plain := []*commonpb.Payload{
		jsonPayload(t, candidate{"Jane Doe", testEmail, 87}),
		jsonPayload(t, nil),
		{Metadata: map[string][]byte{"encoding": []byte("binary/zlib")}, Data: []byte{1, 2, 3}},
		{},
	}
	enc, err := c.Encode(plain[:1])
	if err != nil {
		t.Fatalf("Encode: got error %v, want nil", err)
	}
	mixed := append(append([]*commonpb.Payload{}, plain...), enc[0])
	dec, err := c.Decode(mixed)
	if err != nil {
		t.Fatalf("Decode: got error %v, want nil", err)
	}
	want := append(append([]*commonpb.Payload{}, plain...), plain[0])
	for i := range want {
		if !proto.Equal(dec[i], want[i]) {
			t.Errorf("payload %d: got %v, want %v", i, dec[i], want[i])
		}
	}
}

func TestKeyRotation(t *testing.T) {
	a, b := testKey(1), testKey(2)
	oldCodec := mustCodec(t, Keys{Active: "a", ByID: map[string][]byte{"a": a}})
	newCodec := mustCodec(t, Keys{Active: "b", ByID: map[string][]byte{"a": a, "b": b}})
	in := []*commonpb.Payload{jsonPayload(t, candidate{"Jane Doe", testEmail, 87})}

	old, err := oldCodec.Encode(in)
	if err != nil {
		t.Fatalf("encode with a: got error %v, want nil", err)
	}
	dec, err := newCodec.Decode(old)
	if err != nil {
		t.Fatalf("decode old payload after rotation: got error %v, want nil", err)
	}
	if !proto.Equal(dec[0], in[0]) {
		t.Errorf("old payload after rotation: got %v, want %v", dec[0], in[0])
	}

	fresh, err := newCodec.Encode(in)
	if err != nil {
		t.Fatalf("encode after rotation: got error %v, want nil", err)
	}
	if got := string(fresh[0].GetMetadata()[MetadataKeyID]); got != "b" {
		t.Errorf("key id after rotation: got %q, want %q", got, "b")
	}
	if dec, err := newCodec.Decode(fresh); err != nil || !proto.Equal(dec[0], in[0]) {
		t.Errorf("new payload: got %v, %v, want %v, nil", dec, err, in[0])
	}
	// A process still on the old keys cannot read the new payloads, and says why.
	if _, err := oldCodec.Decode(fresh); !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), `"b"`) {
		t.Errorf("old codec on new payload: got error %v, want %v naming \"b\"", err, ErrUnknownKey)
	}
}

func TestDataConverter(t *testing.T) {
	dc, err := DataConverter(testKeys("k1"))
	if err != nil {
		t.Fatalf("DataConverter: got error %v, want nil", err)
	}
	in := candidate{"Jane Doe", testEmail, 87}
	p, err := dc.ToPayload(in)
	if err != nil {
		t.Fatalf("ToPayload: got error %v, want nil", err)
	}
	if got := string(p.GetMetadata()["encoding"]); got != EncodingEncrypted {
		t.Errorf("encoding: got %q, want %q", got, EncodingEncrypted)
	}
	if bytes.Contains(p.GetData(), []byte(testEmail)) {
		t.Errorf("payload data: got the plaintext email, want ciphertext")
	}
	var out candidate
	if err := dc.FromPayload(p, &out); err != nil || out != in {
		t.Errorf("FromPayload: got %+v, %v, want %+v, nil", out, err, in)
	}
	// History from before encryption was switched on still converts.
	var old candidate
	if err := dc.FromPayload(jsonPayload(t, in), &old); err != nil || old != in {
		t.Errorf("FromPayload(unencrypted): got %+v, %v, want %+v, nil", old, err, in)
	}
	// The default converter alone cannot read encrypted payloads.
	if err := converter.GetDefaultDataConverter().FromPayload(p, &out); err == nil {
		t.Errorf("default converter on an encrypted payload: got nil error, want one")
	}
}

func clonePayloads(ps []*commonpb.Payload) []*commonpb.Payload {
	out := make([]*commonpb.Payload, len(ps))
	for i, p := range ps {
		out[i] = proto.Clone(p).(*commonpb.Payload)
	}
	return out
}
