package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/web"
	"github.com/assessbridge/assessbridge/workflows"
)

// hostileOpp is the opportunity every hostile delivery names where it names a valid one: no
// workflow may ever exist for it.
const hostileOpp = "opp-hostile"

// maxAnswer is how long any answer to hostile input may take.
const maxAnswer = 2 * time.Second

// envelope is a Lever delivery built from raw JSON pieces, signed with key for triggeredAt at,
// with a fresh token.
func envelope(event string, at int64, key, data string) []byte {
	return envelopeWithToken(event, at, key, newToken(), data)
}

// envelopeWithToken is envelope with the given token.
func envelopeWithToken(event string, at int64, key, token, data string) []byte {
	ev, _ := json.Marshal(event)
	return fmt.Appendf(nil, `{"id":"d-h","event":%s,"triggeredAt":%d,"token":%q,"signature":%q,"data":%s}`,
		ev, at, token, lever.Sign(key, token, at), data)
}

// stageData is a stage change into the trigger stage for opportunity, given as raw JSON.
func stageData(opportunity string) string {
	return `{"opportunityId":` + opportunity + `,"candidateId":"c","contactId":"c","fromStageId":"s","toStageId":"` + triggerStage + `"}`
}

// nested is n opening brackets of open, the innermost value, and n closing ones.
func nested(open, inner, closing string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(closing, n)
}

func postTimed(t *testing.T, url, contentType string, body []byte, header map[string]string) (int, string, time.Duration) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String(), time.Since(start)
}

// TestHostileWebhooks: forged, stale, malformed, oversized and pathological deliveries get the
// right 4xx, fast, and start or signal nothing.
func TestHostileWebhooks(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UnixMilli()
	good := stageData(`"` + hostileOpp + `"`)
	signed := func(data string) []byte { return envelope(lever.EventStageChange, now, sigToken, data) }
	token := newToken()
	valid := envelopeWithToken(lever.EventStageChange, now, sigToken, token, good)
	withSig := func(sig string) []byte {
		return fmt.Appendf(nil, `{"event":"candidateStageChange","triggeredAt":%d,"token":%q,"signature":%q,"data":%s}`, now, token, sig, good)
	}
	realSig := lever.Sign(sigToken, token, now)
	huge := signed(`{"opportunityId":"` + hostileOpp + `","pad":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`)

	tests := []struct {
		name        string
		account     string // "" = acme
		contentType string // "" = application/json
		body        []byte
		want        int
	}{
		// Signatures and accounts.
		{"missing signature", "", "", fmt.Appendf(nil, `{"event":"candidateStageChange","triggeredAt":%d,"token":%q,"data":%s}`, now, token, good), 400},
		{"empty signature", "", "", withSig(""), 400},
		{"signature not hex", "", "", withSig(strings.Repeat("z", 64)), 401},
		{"signature truncated", "", "", withSig(realSig[:32]), 401},
		{"signature upper-cased hex of another key", "", "", withSig(strings.ToUpper(lever.Sign("other-key", token, now))), 401},
		{"signed with another key", "", "", envelope(lever.EventStageChange, now, "other-key", good), 401},
		{"unknown account", "globex", "", valid, 404},
		{"another account's signature", "initech", "", valid, 401},
		{"stale triggeredAt", "", "", envelope(lever.EventStageChange, time.Now().Add(-25*time.Hour).UnixMilli(), sigToken, good), 401},
		{"triggeredAt from the future", "", "", envelope(lever.EventStageChange, time.Now().Add(time.Hour).UnixMilli(), sigToken, good), 401},
		{"triggeredAt zero", "", "", envelope(lever.EventStageChange, 0, sigToken, good), 400},
		{"triggeredAt negative", "", "", envelope(lever.EventStageChange, -now, sigToken, good), 400},
		{"triggeredAt a bool", "", "", bytes.Replace(valid, fmt.Appendf(nil, `"triggeredAt":%d`, now), []byte(`"triggeredAt":true`), 1), 400},
		{"triggeredAt a fraction", "", "", bytes.Replace(valid, fmt.Appendf(nil, `"triggeredAt":%d`, now), fmt.Appendf(nil, `"triggeredAt":%d.5`, now), 1), 400},
		{"triggeredAt overflows", "", "", bytes.Replace(valid, fmt.Appendf(nil, `"triggeredAt":%d`, now), []byte(`"triggeredAt":1e300`), 1), 400},

		// Malformed JSON and wrong types.
		{"empty body", "", "", nil, 400},
		{"malformed JSON", "", "", []byte(`{"event":`), 400},
		{"truncated delivery", "", "", valid[:len(valid)/2], 400},
		{"trailing garbage", "", "", append(append([]byte(nil), valid...), "garbage"...), 400},
		{"two objects", "", "", append(append([]byte(nil), valid...), valid...), 400},
		{"JSON null", "", "", []byte(`null`), 400},
		{"JSON array", "", "", []byte(`[` + string(valid) + `]`), 400},
		{"JSON string", "", "", []byte(`"candidateStageChange"`), 400},
		{"event a number", "", "", bytes.Replace(valid, []byte(`"event":"candidateStageChange"`), []byte(`"event":7`), 1), 400},
		{"token an array", "", "", bytes.Replace(valid, []byte(`"token":"`+token+`"`), []byte(`"token":["`+token+`"]`), 1), 400},
		{"data a string", "", "", signed(`"` + hostileOpp + `"`), 400},
		{"data an array", "", "", signed(`[` + good + `]`), 400},
		{"opportunityId an array", "", "", signed(stageData(`["` + hostileOpp + `"]`)), 400},
		{"opportunityId an object in an object", "", "", signed(stageData(`{"id":{"id":"` + hostileOpp + `"}}`)), 400},
		{"toStageId an array", "", "", signed(`{"opportunityId":"` + hostileOpp + `","toStageId":["` + triggerStage + `"]}`), 400},

		// Ids that must never reach Temporal.
		{"opportunityId too long", "", "", signed(stageData(`"` + strings.Repeat("o", 101) + `"`)), 400},
		{"opportunityId with a slash", "", "", signed(stageData(`"opp/../` + hostileOpp + `"`)), 400},
		{"opportunityId with markup", "", "", signed(stageData(`"<script>alert(1)</script>"`)), 400},
		{"opportunityId with NUL", "", "", signed(stageData(`"` + hostileOpp + `\u0000"`)), 400},
		{"opportunityId with a space", "", "", signed(stageData(`"` + hostileOpp + ` "`)), 400},
		{"archive of a malformed id", "", "", envelope(lever.EventArchiveChange, now, sigToken, `{"opportunityId":"a/b","toArchived":{"reason":"r"}}`), 400},
		{"hired with a malformed id", "", "", envelope(lever.EventHired, now, sigToken, `{"opportunityId":"`+strings.Repeat("x", 5000)+`"}`), 400},
		{"deleted with a malformed id", "", "", envelope(lever.EventDeleted, now, sigToken, `{"opportunityId":"lever/acme/x"}`), 400},

		// Size, depth and encoding.
		{"body over 1 MiB", "", "", huge, 413},
		{"100k nested arrays", "", "", []byte(nested("[", "", "]", 100_000)), 400},
		{"100k nested arrays as data", "", "", signed(nested("[", "", "]", 100_000)), 400},
		{"100k nested objects as data", "", "", signed(nested(`{"a":`, "1", "}", 100_000)), 400},
		{"deep id objects in the envelope", "", "", bytes.Replace(valid, []byte(`"id":"d-h"`), []byte(`"id":`+nested(`{"id":`, `"d"`, "}", 9_990)), 1), 400},
		{"deep id objects as opportunityId", "", "", signed(stageData(nested(`{"id":`, `"`+hostileOpp+`"`, "}", 9_990))), 400},
		{"invalid UTF-8", "", "", []byte("\xff\xfe{\"event\":\"x\"}"), 400},
		{"invalid UTF-8 in opportunityId", "", "", signed(stageData("\"" + hostileOpp + "\xff\"")), 400},
		{"not JSON content type", "", "text/html", valid, 415},
		{"malformed content type", "", "application/json; charset", valid, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account, ct := tt.account, tt.contentType
			if account == "" {
				account = "acme"
			}
			if ct == "" {
				ct = "application/json"
			}
			before := len(e.rec.effects())
			status, body, took := postTimed(t, e.url+"/webhooks/lever/"+account, ct, tt.body, nil)
			if status != tt.want {
				t.Errorf("status: got %d (%s), want %d", status, body, tt.want)
			}
			if took > maxAnswer {
				t.Errorf("answered in %v, want under %v", took, maxAnswer)
			}
			if got := e.rec.effects(); len(got) != before {
				t.Errorf("Temporal calls: got %q, want none", got[before:])
			}
		})
	}
	for _, acct := range []string{"acme", "initech", "globex"} {
		if exists(t, e.tc, workflows.WorkflowID(acct, hostileOpp)) {
			t.Errorf("workflow for %s/%s: got one, want none", acct, hostileOpp)
		}
	}
	// The same front door still accepts a genuine delivery.
	if status, body := post(t, e.url+"/webhooks/lever/acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-genuine", triggerStage)), nil); status != 202 {
		t.Errorf("genuine delivery after the hostile ones: got %d (%s), want 202", status, body)
	}
}

// TestDeliveryWindow: a delivery is accepted while Lever may still be retrying it and refused
// once it is old enough to be a replay.
func TestDeliveryWindow(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name    string
		age     time.Duration // negative: from the future
		want    int
		started bool
	}{
		{"a minute old", time.Minute, 202, true},
		{"retried after 23 hours", 23 * time.Hour, 202, true},
		{"25 hours old", 25 * time.Hour, 401, false},
		{"a week old", 7 * 24 * time.Hour, 401, false},
		{"clock 4 minutes ahead", -4 * time.Minute, 202, true},
		{"10 minutes in the future", -10 * time.Minute, 401, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opp := fmt.Sprintf("opp-window-%d-%d", i, time.Now().UnixNano())
			body := envelope(lever.EventStageChange, time.Now().Add(-tt.age).UnixMilli(), sigToken, stageData(`"`+opp+`"`))
			if status, resp := post(t, e.url+"/webhooks/lever/acme", body, nil); status != tt.want {
				t.Errorf("status: got %d (%s), want %d", status, resp, tt.want)
			}
			if got := exists(t, e.tc, workflows.WorkflowID("acme", opp)); got != tt.started {
				t.Errorf("workflow started: got %v, want %v", got, tt.started)
			}
		})
	}
}

// TestHostileCallbacks: platform callbacks that are signed but malformed, or not signed, get the
// right 4xx and signal nothing, not even the running workflow they name.
func TestHostileCallbacks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	live := workflows.WorkflowID("acme", "opp-live-"+fmt.Sprint(time.Now().UnixNano()))
	if _, err := e.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: live, TaskQueue: "web-test-no-worker"}, workflows.WorkflowName, workflows.Input{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.tc.TerminateWorkflow(context.Background(), live, "", "test over") })
	started := fmt.Sprintf(`{"id":"ev-1","event":"started","invitation_id":"inv-1","reference":%q,"occurred_at":"2026-01-01T00:00:00Z"}`, live)
	sign := func(body string) map[string]string {
		return map[string]string{assessment.SignatureHeader: assessment.Sign(cbSecret, []byte(body), time.Now())}
	}
	longRef := `{"event":"started","invitation_id":"i","reference":"lever/acme/` + strings.Repeat("r", 2000) + `"}`

	tests := []struct {
		name        string
		body        string
		header      map[string]string
		contentType string
		want        int
	}{
		{"unsigned", started, nil, "", 401},
		{"signature header too long", started, map[string]string{assessment.SignatureHeader: "t=1," + strings.Repeat("v1=00,", 1000)}, "", 401},
		{"two timestamps", started, map[string]string{assessment.SignatureHeader: "t=1,t=2,v1=00"}, "", 401},
		{"signature of another body", started, sign(started + " "), "", 401},
		{"signed empty body", "", sign(""), "", 400},
		{"signed malformed JSON", `{"event":`, sign(`{"event":`), "", 400},
		{"signed truncated", started[:len(started)/2], sign(started[:len(started)/2]), "", 400},
		{"signed trailing garbage", started + "x", sign(started + "x"), "", 400},
		{"signed event a number", strings.Replace(started, `"started"`, `1`, 1), sign(strings.Replace(started, `"started"`, `1`, 1)), "", 400},
		{"signed occurred_at not a time", strings.Replace(started, `"2026-01-01T00:00:00Z"`, `"yesterday"`, 1), sign(strings.Replace(started, `"2026-01-01T00:00:00Z"`, `"yesterday"`, 1)), "", 400},
		{"signed score a string", `{"event":"submitted","invitation_id":"i","reference":"` + live + `","result":{"score":"x"}}`,
			sign(`{"event":"submitted","invitation_id":"i","reference":"` + live + `","result":{"score":"x"}}`), "", 400},
		{"signed result a string", `{"event":"submitted","invitation_id":"i","reference":"` + live + `","result":"done"}`,
			sign(`{"event":"submitted","invitation_id":"i","reference":"` + live + `","result":"done"}`), "", 400},
		{"signed 100k nested arrays", nested("[", "", "]", 100_000), sign(nested("[", "", "]", 100_000)), "", 400},
		{"signed invalid UTF-8", "\xff" + started, sign("\xff" + started), "", 400},
		{"signed invalid UTF-8 in invitation_id", strings.Replace(started, "inv-1", "inv-\xff", 1), sign(strings.Replace(started, "inv-1", "inv-\xff", 1)), "", 400},
		{"signed body over 1 MiB", started + strings.Repeat(" ", web.MaxBodyBytes), sign(started + strings.Repeat(" ", web.MaxBodyBytes)), "", 413},
		{"signed reference too long for a workflow ID", longRef, sign(longRef), "", 404},
		{"signed reference with NUL", strings.Replace(started, live, live+`\u0000`, 1), sign(strings.Replace(started, live, live+`\u0000`, 1)), "", 404},
		{"signed reference with a newline", strings.Replace(started, live, live+`\n`, 1), sign(strings.Replace(started, live, live+`\n`, 1)), "", 404},
		{"signed reference not ASCII", strings.Replace(started, live, live+"é", 1), sign(strings.Replace(started, live, live+"é", 1)), "", 404},
		{"form content type", started, sign(started), "application/x-www-form-urlencoded", 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			before := len(e.rec.effects())
			status, body, took := postTimed(t, e.url+"/callbacks/assessment", ct, []byte(tt.body), tt.header)
			if status != tt.want {
				t.Errorf("status: got %d (%s), want %d", status, body, tt.want)
			}
			if took > maxAnswer {
				t.Errorf("answered in %v, want under %v", took, maxAnswer)
			}
			if got := e.rec.effects(); len(got) != before {
				t.Errorf("Temporal calls: got %q, want none", got[before:])
			}
		})
	}
	// The genuine callback still gets through.
	if status, _, _ := postTimed(t, e.url+"/callbacks/assessment", "application/json", []byte(started), sign(started)); status != 202 {
		t.Errorf("genuine callback after the hostile ones: got %d, want 202", status)
	}
}
