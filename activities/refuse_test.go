package activities_test

import (
	"context"
	"testing"

	"github.com/assessbridge/assessbridge/activities"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

// TestResolveChecksTheDeliverysClaims: what a delivery said (not signed by Lever) is checked
// against the opportunity Resolve reads anyway, without another Lever call.
func TestResolveChecksTheDeliverysClaims(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.lever.AddStage(acct, "stage-assess", "Assessment")
	f.lever.AddStage(acct, "stage-phone", "Phone screen")
	must(t, f.store.UpdateAccount(ctx, acct, func(a *store.Account) error {
		a.TriggerStages = []string{"stage-assess"}
		return nil
	}))
	f.lever.AddOpportunity(acct, leversim.Opportunity{ID: "o-in", Name: "In", Emails: []string{"in@x.example"}, Tags: []string{"Go Test"}, StageID: "stage-assess", PostingID: "post-go"})
	f.lever.AddOpportunity(acct, leversim.Opportunity{ID: "o-out", Name: "Out", Emails: []string{"out@x.example"}, Tags: []string{"Go Test"}, StageID: "stage-phone", PostingID: "post-go"})
	tests := []struct {
		name        string
		in          activities.ResolveInput
		wantRefused string
	}{
		{"in a trigger stage", activities.ResolveInput{OpportunityID: "o-in", InTriggerStage: true}, ""},
		{"not in a trigger stage", activities.ResolveInput{OpportunityID: "o-out", InTriggerStage: true}, activities.RefusedNotInTriggerStage},
		{"no stage claimed (operator, backfill)", activities.ResolveInput{OpportunityID: "o-out"}, ""},
		{"its application", activities.ResolveInput{OpportunityID: "o-out", ApplicationID: "application-o-out"}, ""},
		{"its application and posting", activities.ResolveInput{OpportunityID: "o-out", ApplicationID: "application-o-out", PostingID: "post-go"}, ""},
		{"another candidate's application", activities.ResolveInput{OpportunityID: "o-out", ApplicationID: "application-o-in"}, activities.RefusedNoSuchApplication},
		{"its application on another posting", activities.ResolveInput{OpportunityID: "o-out", ApplicationID: "application-o-out", PostingID: "post-py"}, activities.RefusedNoSuchApplication},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.AccountID = acct
			before := f.lever.Calls(acct).Total
			v, err := f.env.ExecuteActivity(f.acts.Resolve, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var res activities.Resolution
			must(t, v.Get(&res))
			if res.Refused != tt.wantRefused {
				t.Errorf("refused: got %q (%s), want %q", res.Refused, res.RefusedWhy, tt.wantRefused)
			}
			if tt.wantRefused == "" && res.AssessmentID != "as-go" {
				t.Errorf("assessment: got %q, want as-go", res.AssessmentID)
			}
			if tt.wantRefused != "" && (res.AssessmentID != "" || res.RefusedWhy == "") {
				t.Errorf("got %+v, want a reason and no assessment", res)
			}
			if n := f.lever.Calls(acct).Total - before; n > 1 {
				t.Errorf("Lever calls: got %d, want at most the one opportunity read", n)
			}
		})
	}
}
