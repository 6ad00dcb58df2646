package lever

import (
	"encoding/hex"
	"strconv"
	"testing"
)

// FuzzParseWebhook: no input makes the parser or the event decoders panic, and whatever parses
// verifies only with a signature computed the documented way.
func FuzzParseWebhook(f *testing.F) {
	seeds := []string{
		`{"id":"x","event":"candidateStageChange","triggeredAt":1519857812345,"token":"abc","signature":"00","data":{"opportunityId":"o","candidateId":"c","contactId":"c","fromStageId":null,"toStageId":"s"}}`,
		`{"event":"candidateStageChange","triggeredAt":"1519857812345","token":"t","signature":"ff","data":{}}`,
		`{"event":"candidateArchiveChange","triggeredAt":1,"token":"t","signature":"s","data":{"opportunityId":"o","toArchived":{"reason":{"id":"r","text":"x"},"archivedAt":2},"fromArchived":null}}`,
		`{"event":"candidateDeleted","triggeredAt":1.5e12,"token":"t","signature":"s","data":{"opportunityId":"o"}}`,
		`{"event":1,"triggeredAt":true,"token":[],"signature":{},"data":"x"}`,
		`{"event":"x","triggeredAt":-1,"token":"t","signature":"s","data":[[[[[[[[[]]]]]]]]]}`,
		`{`, ``, `null`, "\xff\xfe",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		w, err := ParseWebhook(body)
		if err != nil {
			return
		}
		_, _ = w.StageChange()
		_, _ = w.ArchiveChange()
		_, _ = w.OpportunityEvent()
		_ = w.TriggeredTime()
		if w.Verify("key") && w.Signature != Sign("key", w.Token, w.TriggeredAt) &&
			w.Signature != hex.EncodeToString(mac("key", w.Token+w.triggeredAtText)) {
			t.Fatalf("verified a signature that is not HMAC(token+%s)", strconv.FormatInt(w.TriggeredAt, 10))
		}
		signed := *w
		signed.Signature = Sign("key", w.Token, w.TriggeredAt)
		if !signed.Verify("other", "key") {
			t.Fatal("a correctly signed delivery did not verify")
		}
	})
}
