package assessment

import (
	"testing"
	"time"
)

// FuzzParseCallback: no body or signature header makes parsing or verification panic, and a
// parsed callback always has what the handler relies on.
func FuzzParseCallback(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"e1","event":"submitted","invitation_id":"i","reference":"lever/a/o","occurred_at":"2026-01-01T00:00:00Z","result":{"score":1,"max_score":2,"report_url":"u","proctoring":{"flagged":true,"summary":"s"}}}`)
	f.Add(body, Sign("secret", body, now))
	f.Add([]byte(`{"event":"started","invitation_id":"i","reference":"r"}`), "t=1,v1=00")
	f.Add([]byte(`{"event":"submitted","invitation_id":"i","reference":"r","result":{"score":"x"}}`), "v1=zz,t=")
	f.Add([]byte(`[1,2,3]`), "")
	f.Add([]byte("\xff\xfe{"), "t=99999999999999999999,v1=")
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		_ = VerifySignature("secret", header, body, now, time.Minute)
		if err := VerifySignature("secret", Sign("secret", body, now), body, now, time.Minute); err != nil {
			t.Fatalf("own signature rejected: %v", err)
		}
		cb, err := ParseCallback(body)
		if err != nil {
			return
		}
		if cb.Reference == "" || cb.InvitationID == "" || (cb.Event != EventStarted && cb.Event != EventSubmitted) {
			t.Fatalf("parsed an incomplete callback: %+v", cb)
		}
		if cb.Event == EventSubmitted && cb.Result == nil {
			t.Fatal("submitted without a result")
		}
	})
}
