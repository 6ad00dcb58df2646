package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/assessbridge/assessbridge/accounts"
	"github.com/assessbridge/assessbridge/catalogue"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows/rating"
)

// Resolve reads the candidate from Lever and picks their assessment as catalogue orders the
// choices: a candidate tag equal to a title, a posting tag equal to a title, a posting tag
// holding an id, the posting mapping. It only reads, so it is safe to retry.
func (a *Activities) Resolve(ctx context.Context, in ResolveInput) (Resolution, error) {
	if in.AccountID == "" || in.OpportunityID == "" {
		return Resolution{}, permanent(ErrTypeInvalidInput, "resolve: account and opportunity are required")
	}
	lc, err := a.leverFor(ctx, in.AccountID)
	if err != nil {
		return Resolution{}, err
	}
	opp, err := lc.GetOpportunity(ctx, in.OpportunityID)
	if errors.Is(err, lever.ErrNotFound) {
		return Resolution{}, permanent(ErrTypeNotFound, "resolve: opportunity %s not found in Lever", in.OpportunityID)
	}
	if err != nil {
		return Resolution{}, a.leverErr(ctx, in.AccountID, "resolve: read opportunity", err)
	}
	res := Resolution{CandidateName: opp.Name, Archived: opp.Archived != nil, StageID: opp.StageID, LeverURL: opp.ShowURL, NameInMemo: true, StepWithAssessment: true}
	if len(opp.Emails) > 0 {
		res.CandidateEmail = strings.TrimSpace(opp.Emails[0])
	}
	if ids := opp.PostingIDs(); len(ids) > 0 {
		res.PostingID = ids[0]
	}
	bands, err := a.bands(ctx, in.AccountID)
	if err != nil {
		return Resolution{}, err
	}
	res.Bands = bands
	acct, err := a.account(ctx, in.AccountID)
	if err != nil {
		return Resolution{}, err
	}
	res.RemindAfter, res.ExpireAfter = DefaultRemindAfter, DefaultExpireAfter
	if acct.RemindAfter > 0 {
		res.RemindAfter = acct.RemindAfter
	}
	if acct.ExpireAfter > 0 {
		res.ExpireAfter = acct.ExpireAfter
	}
	if res.Archived {
		return res, nil // the workflow ends without inviting; nothing else to look up
	}
	if res.Refused, res.RefusedWhy = refuse(in, opp, acct.TriggerStages); res.Refused != "" {
		return res, nil
	}

	res.NoAssessmentNotice = !acct.QuietNoAssessment
	res.AdminURL = a.adminURL(in.AccountID)
	res.HadNotSetTag = slices.ContainsFunc(opp.Tags, func(t string) bool { return strings.EqualFold(strings.TrimSpace(t), NotSetTag) })
	chosen, err := a.chooseAssessment(ctx, lc, in, opp, res.PostingID)
	if err != nil {
		return Resolution{}, err
	}
	if !chosen.Chosen() {
		return res, nil
	}
	if res.CandidateEmail == "" {
		return Resolution{}, permanent(ErrTypeNoEmail, "resolve: opportunity %s has no email address to invite", in.OpportunityID)
	}
	res.AssessmentID, res.AssessmentTitle, res.Source = chosen.Assessment.ID, chosen.Assessment.Title, chosen.Source
	if chosen.Source == catalogue.SourceCandidateTag {
		res.CandidateTag = chosen.Tag
	}
	return res, nil
}

// refuse checks the delivery's claims against the opportunity as Lever shows it now: a
// candidate not (or no longer) in a trigger stage, or without the application the delivery
// named, is not invited.
func refuse(in ResolveInput, opp *lever.Opportunity, triggerStages []string) (reason, why string) {
	if in.InTriggerStage && !slices.Contains(triggerStages, opp.StageID) {
		return RefusedNotInTriggerStage, fmt.Sprintf("Lever shows the candidate in stage %q, not in a trigger stage", opp.StageID)
	}
	if in.ApplicationID == "" && in.PostingID == "" {
		return "", ""
	}
	for _, app := range opp.Applications {
		if (in.ApplicationID == "" || app.ID == in.ApplicationID) && (in.PostingID == "" || app.PostingID == in.PostingID) {
			return "", ""
		}
	}
	return RefusedNoSuchApplication, "Lever shows no such application on the candidate"
}

func (a *Activities) chooseAssessment(ctx context.Context, lc LeverAPI, in ResolveInput, opp *lever.Opportunity, postingID string) (catalogue.Choice, error) {
	list, err := a.store.Assessments(ctx, in.AccountID)
	if err != nil {
		return catalogue.Choice{}, fmt.Errorf("resolve: read catalogue: %w", err)
	}
	cat := catalogue.New(list)
	if in.AssessmentID != "" {
		as, ok := cat.ByID(in.AssessmentID)
		if !ok {
			return catalogue.Choice{}, permanent(ErrTypeUnknownAssessment, "resolve: assessment %s is not in the catalogue", in.AssessmentID)
		}
		return catalogue.Choice{Assessment: as, Source: catalogue.SourceInput}, nil
	}
	if ch := cat.ForCandidate(opp.Tags); ch.Chosen() {
		return ch, nil
	}
	if postingID == "" {
		return catalogue.Choice{}, nil
	}
	tags, err := a.postingTags(ctx, lc, in.AccountID, postingID)
	if err != nil {
		return catalogue.Choice{}, err
	}
	mapped, err := a.store.AssessmentForPosting(ctx, in.AccountID, postingID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return catalogue.Choice{}, fmt.Errorf("resolve: read posting mapping: %w", err)
	}
	ch := cat.ForPosting(tags, mapped)
	if ch.MissingID != "" {
		return catalogue.Choice{}, permanent(ErrTypeUnknownAssessment, "resolve: posting %s is mapped to assessment %s, which is not in the catalogue", postingID, ch.MissingID)
	}
	return ch, nil
}

// postingTags is cached per account: postings change rarely and every candidate of a job reads one.
func (a *Activities) postingTags(ctx context.Context, lc LeverAPI, accountID, postingID string) ([]string, error) {
	key := cacheKey{account: accountID, kind: "posting", id: postingID}
	if v, ok := a.cache.get(key); ok {
		return v.([]string), nil
	}
	p, err := lc.GetPosting(ctx, postingID)
	if errors.Is(err, lever.ErrNotFound) {
		return nil, nil // a deleted posting has no tags; the mapping may still apply
	}
	if err != nil {
		return nil, a.leverErr(ctx, accountID, "resolve: read posting", err)
	}
	a.cache.put(key, p.Tags)
	return p.Tags, nil
}

func (a *Activities) bands(ctx context.Context, accountID string) ([]rating.Band, error) {
	sb, err := a.store.RatingBands(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("resolve: read rating bands: %w", err)
	}
	if len(sb) == 0 {
		return rating.DefaultBands(), nil
	}
	bands := make([]rating.Band, len(sb))
	for i, b := range sb {
		bands[i] = rating.Band{MinPercent: b.MinPercent, Rating: b.Rating, Label: b.Label}
	}
	if err := rating.Validate(bands); err != nil {
		return nil, permanent(ErrTypeInvalidInput, "resolve: account %s: %v", accountID, err)
	}
	return bands, nil
}

// leverFor returns the account's client, or a retryable error while the account cannot be used.
func (a *Activities) leverFor(ctx context.Context, accountID string) (LeverAPI, error) {
	lc, err := a.lever.Lever(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, permanent(ErrTypeAccount, "account %s is not connected", accountID)
	}
	if errors.Is(err, accounts.ErrDisconnected) {
		return nil, permanent(ErrTypeDisconnected, "account %s is disconnected from Lever", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("lever client for account %s: %w", accountID, err)
	}
	return lc, nil
}

// NotSetTag marks a candidate who entered a trigger stage while no assessment could be chosen,
// so recruiters can filter on them; the invitation of a later journey removes it.
const NotSetTag = "Assessment - Not set"

// The suffixes of the status tags the workflow sets, as catalogue reads them back.
var StatusSteps = catalogue.StatusSteps

// Suffixes of the tags set beside a status tag.
const (
	FlaggedStep  = catalogue.FlaggedStep
	PassedStep   = catalogue.PassedStep
	FailedStep   = catalogue.FailedStep
	ExtendedStep = catalogue.ExtendedStep
)
