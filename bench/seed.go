package main

import (
	"context"
	"errors"
	"fmt"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

// What every bench account has, as a recruiter would have set it up: one job posting mapped to
// one assessment, a trigger stage and a user to post as.
const (
	triggerStage    = "stage-assessment"
	previousStage   = "stage-phone"
	performAs       = "user-bench"
	postingID       = "post-backend"
	assessmentID    = "go-basics"
	assessmentTitle = "Go Basics"
)

// account is a seeded account: its id and the signature token of its webhooks.
type account struct {
	id, webhookToken string
}

// addAccount connects an account in the store and gives it, in the simulated Lever, the
// stages, user, posting and n candidates (candidateID(id, 0…n-1)). Each is already in the trigger
// stage, as Lever's record is by the time its delivery arrives: the journey checks that in the
// opportunity it reads anyway. Candidates are resolved through the posting mapping, so the
// posting read and its cache are part of every run.
func (s *stack) addAccount(ctx context.Context, id string, n int) (account, error) {
	a := account{id: id, webhookToken: randomHex(24)}
	token := randomHex(24)
	l := s.lever
	l.AddAccount(id, token)
	l.AddUser(id, leversim.User{ID: performAs, Name: "Bench Recruiter", Email: "recruiter@bench.example"})
	l.AddStage(id, previousStage, "Phone screen")
	l.AddStage(id, triggerStage, "Assessment")
	l.AddPosting(id, leversim.Posting{ID: postingID, Text: "Backend Engineer"})
	for i := range n {
		opp := candidateID(id, i)
		l.AddOpportunity(id, leversim.Opportunity{ID: opp, Name: fmt.Sprintf("Candidate %d", i),
			Emails: []string{fmt.Sprintf("%s@candidates.example", opp)}, StageID: triggerStage, PostingID: postingID})
	}
	err := errors.Join(
		s.store.PutAccount(ctx, store.Account{ID: id, Name: "bench " + id, Status: store.StatusConnected,
			LeverBaseURL: s.settings["ASSESSBRIDGE_LEVER_API_URL"], AccessToken: token, WebhookTokens: []string{a.webhookToken},
			TriggerStages: []string{triggerStage}, PerformAs: performAs}),
		s.store.PutAssessment(ctx, id, store.Assessment{ID: assessmentID, Title: assessmentTitle}),
		s.store.MapPosting(ctx, id, postingID, assessmentID),
	)
	if err != nil {
		return account{}, fmt.Errorf("seed account %s: %w", id, err)
	}
	return a, nil
}

func candidateID(accountID string, i int) string { return fmt.Sprintf("%s-c%05d", accountID, i) }
