package lever_test

import (
	"slices"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestArchiveReasonsAPI(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{leversim.ReasonUnderqualified, leversim.ReasonWithdrew, leversim.ReasonHired}},
		{"?type=hired", []string{leversim.ReasonHired}},
		{"?type=non-hired", []string{leversim.ReasonUnderqualified, leversim.ReasonWithdrew}},
	}
	for _, tt := range tests {
		r := e.do(t, "GET", "/archive_reasons"+tt.query, nil)
		var got []string
		for _, item := range r.list(t) {
			m := item.(map[string]any)
			if m["text"] == "" || (m["type"] != "hired" && m["type"] != "non-hired") {
				t.Errorf("reason %v: got no text or an unknown type", m)
			}
			got = append(got, m["id"].(string))
		}
		if r.status != 200 || !slices.Equal(got, tt.want) {
			t.Errorf("GET /archive_reasons%s: got %d %q, want %q", tt.query, r.status, got, tt.want)
		}
	}
}

func TestArchiveAPI(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	rc, url := newReceiver(t, 200)
	e.sim.AddWebhook(acct, lever.EventArchiveChange, url, sigToken)
	e.sim.AddWebhook(acct, lever.EventHired, url, sigToken)
	path := "/opportunities/" + oppID + "/archived"
	steps := []struct {
		name       string
		body       any
		want       int
		wantReason string // in the state afterwards
		wantEvents []string
	}{
		{"no reason", map[string]any{}, 400, "", nil},
		{"unknown reason", map[string]any{"reason": "reason-nope"}, 400, "", nil},
		{"reason not a string", map[string]any{"reason": 7}, 400, "", nil},
		{"unarchive while active", map[string]any{"reason": nil}, 200, "", nil},
		{"archive", map[string]any{"reason": leversim.ReasonUnderqualified}, 200, leversim.ReasonUnderqualified, []string{lever.EventArchiveChange}},
		{"same reason again", map[string]any{"reason": leversim.ReasonUnderqualified, "cleanInterviews": false}, 200, leversim.ReasonUnderqualified, nil},
		{"unarchive", map[string]any{"reason": nil}, 200, "", []string{lever.EventArchiveChange}},
		{"hired", map[string]any{"reason": leversim.ReasonHired}, 200, leversim.ReasonHired, []string{lever.EventArchiveChange, lever.EventHired}},
	}
	var wantEvents []string
	for _, st := range steps {
		r := e.do(t, "PUT", path, st.body)
		if r.status != st.want {
			t.Fatalf("%s: got %d %v, want %d", st.name, r.status, r.body, st.want)
		}
		wantEvents = append(wantEvents, st.wantEvents...)
		if got := rc.events(t, len(wantEvents)); !slices.Equal(got, wantEvents) {
			t.Fatalf("%s: deliveries got %q, want %q", st.name, got, wantEvents)
		}
		snap, _ := e.sim.Snapshot(acct, oppID)
		if snap.ArchiveReason != st.wantReason || snap.Archived != (st.wantReason != "") {
			t.Errorf("%s: state got archived %v reason %q, want reason %q", st.name, snap.Archived, snap.ArchiveReason, st.wantReason)
		}
		if r.status == 200 {
			archived, _ := r.data(t)["archived"].(map[string]any)
			if (archived != nil) != (st.wantReason != "") || (archived != nil && archived["reason"] != st.wantReason) {
				t.Errorf("%s: answer archived got %v, want reason %q", st.name, archived, st.wantReason)
			}
		}
	}
	ac, err := rc.hooks[0].ArchiveChange()
	if err != nil || ac.OpportunityID != oppID || ac.ToArchived == nil || ac.ToArchived.Reason != leversim.ReasonUnderqualified || ac.ToArchived.ArchivedAt == 0 || ac.FromArchived != nil {
		t.Errorf("first archive change: got %+v (%v), want to %s from nothing", ac, err, leversim.ReasonUnderqualified)
	}
}
