package lever_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// seedPipeline adds opp-a1, opp-a2 (stage-assess), opp-a3 (stage-assess, archived) and
// opp-n2 (stage-new) to newEnv's opp-1 (stage-new).
func seedPipeline(t *testing.T, e *env) {
	t.Helper()
	for _, o := range []leversim.Opportunity{
		{ID: "opp-a1", Name: "A1", StageID: "stage-assess", PostingID: "posting-1"},
		{ID: "opp-a2", Name: "A2", StageID: "stage-assess"},
		{ID: "opp-a3", Name: "A3", StageID: "stage-assess"},
		{ID: "opp-n2", Name: "N2", StageID: "stage-new"},
	} {
		e.sim.AddOpportunity(acct, o)
	}
	if err := e.sim.Archive(context.Background(), acct, "opp-a3", "reason-withdrew"); err != nil {
		t.Fatalf("Archive: got %v, want nil", err)
	}
}

func ids(t *testing.T, items []any) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	slices.Sort(out)
	return out
}

func TestListOpportunitiesFilters(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1})
	seedPipeline(t, e)
	tests := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"no filter", nil, []string{"opp-1", "opp-a1", "opp-a2", "opp-a3", "opp-n2"}},
		{"one stage", url.Values{"stage_id": {"stage-assess"}}, []string{"opp-a1", "opp-a2", "opp-a3"}},
		{"active in stage", url.Values{"stage_id": {"stage-assess"}, "archived": {"false"}}, []string{"opp-a1", "opp-a2"}},
		{"archived only", url.Values{"archived": {"true"}}, []string{"opp-a3"}},
		{"stage repeated", url.Values{"stage_id": {"stage-assess", "stage-new"}, "archived": {"false"}}, []string{"opp-1", "opp-a1", "opp-a2", "opp-n2"}},
		{"stages comma-separated", url.Values{"stage_id": {"stage-new,stage-assess"}, "archived": {"true"}}, []string{"opp-a3"}},
		{"unknown stage", url.Values{"stage_id": {"stage-gone"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "GET", "/opportunities?"+tt.query.Encode(), nil)
			if r.status != 200 {
				t.Fatalf("status: got %d %v, want 200", r.status, r.body)
			}
			if got := ids(t, r.list(t)); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ids: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListOpportunitiesShape(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1})
	seedPipeline(t, e)
	tests := []struct {
		name    string
		query   string
		wantApp any // applications[0] of opp-a1
	}{
		{"ids by default", "stage_id=stage-assess", "application-opp-a1"},
		{"expanded", "stage_id=stage-assess&expand=applications", "posting-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "GET", "/opportunities?"+tt.query, nil)
			var a1, a3 map[string]any
			for _, it := range r.list(t) {
				switch m := it.(map[string]any); m["id"] {
				case "opp-a1":
					a1 = m
				case "opp-a3":
					a3 = m
				}
			}
			if a1 == nil || a3 == nil {
				t.Fatalf("items: got %v, want opp-a1 and opp-a3", r.list(t))
			}
			app := a1["applications"].([]any)[0]
			if m, ok := app.(map[string]any); ok {
				app = m["posting"]
			}
			if app != tt.wantApp {
				t.Errorf("applications[0]: got %v, want %v", app, tt.wantApp)
			}
			if a1["stage"] != "stage-assess" || a1["archived"] != nil {
				t.Errorf("opp-a1: got stage %v archived %v, want stage-assess and null", a1["stage"], a1["archived"])
			}
			if arch, ok := a3["archived"].(map[string]any); !ok || arch["reason"] != "reason-withdrew" {
				t.Errorf("opp-a3 archived: got %v, want reason reason-withdrew", a3["archived"])
			}
		})
	}
}

func TestListOpportunitiesPages(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1, PageSize: 2})
	seedPipeline(t, e)
	var got []string
	pages := 0
	q := url.Values{"archived": {"false"}}
	for {
		r := e.do(t, "GET", "/opportunities?"+q.Encode(), nil)
		if r.status != 200 {
			t.Fatalf("page %d: got status %d %v, want 200", pages, r.status, r.body)
		}
		pages++
		for _, it := range r.list(t) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		if r.body["hasNext"] != true {
			break
		}
		q.Set("offset", r.body["next"].(string))
	}
	slices.Sort(got)
	if want := []string{"opp-1", "opp-a1", "opp-a2", "opp-n2"}; fmt.Sprint(got) != fmt.Sprint(want) || pages != 2 {
		t.Errorf("paged: got %v in %d pages, want %v in 2", got, pages, want)
	}
}

func TestListOpportunitiesBadFilter(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1})
	tests := []struct{ name, query string }{
		{"archived not a bool", "archived=maybe"},
		{"limit too large", "limit=101"},
		{"bad offset", "offset=zzz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.do(t, "GET", "/opportunities?"+tt.query, nil); r.status != 400 {
				t.Errorf("status: got %d, want 400", r.status)
			}
		})
	}
}
