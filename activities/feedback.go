package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.temporal.io/sdk/activity"

	"github.com/assessbridge/assessbridge/lever"
)

// Our feedback template: one score-system rating field plus text fields for the summary and the
// report link. Found by its name, created once per account when missing.
const (
	TemplateName        = "Assessment result (assessbridge)"
	templateRatingText  = "Rating"
	templateSummaryText = "Score summary"
	templateReportText  = "Report link"
)

// template is our feedback template as the account's Lever has it.
type template struct {
	ID            string
	RatingFieldID string
	Options       []string // the score-system option texts, exactly as Lever has them
	SummaryID     string
	ReportID      string
}

// PostFeedback adds the feedback form once, with the rating sent as the template's exact
// option text and perform_as the account's user (Lever requires it for feedback).
func (a *Activities) PostFeedback(ctx context.Context, in FeedbackInput) (string, error) {
	if in.AccountID == "" || in.OpportunityID == "" || in.Marker == "" || in.Rating < 1 || in.Rating > 4 {
		return "", permanent(ErrTypeInvalidInput, "post feedback: account, opportunity, marker and a rating 1–4 are required")
	}
	acct, err := a.account(ctx, in.AccountID)
	if err != nil {
		return "", err
	}
	if acct.PerformAs == "" {
		return "", permanent(ErrTypeAccount, "post feedback: account %s has no Lever user to post feedback as (perform_as)", in.AccountID)
	}
	lc, err := a.leverFor(ctx, in.AccountID)
	if err != nil {
		return "", err
	}
	line := MarkerLine(in.Marker)
	if activity.GetInfo(ctx).Attempt > 1 {
		forms, err := lc.ListFeedback(ctx, in.OpportunityID)
		if err != nil {
			return "", a.leverErr(ctx, in.AccountID, "post feedback: list feedback", err)
		}
		for _, f := range forms {
			for _, v := range f.TextValues() {
				if strings.Contains(v, line) {
					activity.GetLogger(ctx).Info("feedback already posted by an earlier attempt", "opportunity_id", in.OpportunityID)
					return f.ID, nil
				}
			}
		}
	}
	tmpl, err := a.feedbackTemplate(ctx, lc, in.AccountID, acct.PerformAs)
	if err != nil {
		return "", err
	}
	option, ok := optionFor(tmpl.Options, in.Rating, in.RatingLabel)
	if !ok {
		a.cache.drop(cacheKey{account: in.AccountID, kind: "template"})
		return "", permanent(ErrTypeTemplate, "post feedback: template %s has no option for rating %d", tmpl.ID, in.Rating)
	}
	values := []lever.FieldValue{
		{ID: tmpl.RatingFieldID, Value: option},
		{ID: tmpl.SummaryID, Value: in.Summary + "\n\n" + line},
	}
	if in.ReportURL != "" {
		values = append(values, lever.FieldValue{ID: tmpl.ReportID, Value: in.ReportURL})
	}
	id, err := lc.AddFeedback(ctx, in.OpportunityID, lever.NewFeedback{BaseTemplateID: tmpl.ID, FieldValues: values}, acct.PerformAs)
	if err != nil {
		var apiErr *lever.APIError
		if errors.As(err, &apiErr) && (apiErr.StatusCode == 400 || apiErr.StatusCode == 404) {
			// The template may have been edited or deleted in Lever: read it afresh next time.
			a.cache.drop(cacheKey{account: in.AccountID, kind: "template"})
			return "", fmt.Errorf("post feedback: lever refused the form, template re-read on retry: %w", failureCause(err))
		}
		return "", a.leverErr(ctx, in.AccountID, "post feedback", err)
	}
	return id, nil
}

// feedbackTemplate finds our template in the account (cached), creating it when missing.
func (a *Activities) feedbackTemplate(ctx context.Context, lc LeverAPI, accountID, performAs string) (template, error) {
	key := cacheKey{account: accountID, kind: "template"}
	if v, ok := a.cache.get(key); ok {
		return v.(template), nil
	}
	all, err := lc.ListFeedbackTemplates(ctx)
	if err != nil {
		return template{}, a.leverErr(ctx, accountID, "list feedback templates", err)
	}
	for i := range all {
		if all[i].Text != TemplateName {
			continue
		}
		if t, ok := templateFrom(&all[i]); ok {
			a.cache.put(key, t)
			return t, nil
		}
	}
	created, err := lc.CreateFeedbackTemplate(ctx, lever.NewFeedbackTemplate{
		Text:         TemplateName,
		Instructions: "Filled in by assessbridge when a candidate submits their assessment.",
		Fields: []lever.NewTemplateField{
			{Type: "score-system", Text: templateRatingText, Required: true},
			{Type: "textarea", Text: templateSummaryText, Required: true},
			{Type: "text", Text: templateReportText},
		},
	}, performAs)
	if err != nil {
		return template{}, a.leverErr(ctx, accountID, "create feedback template", err)
	}
	t, ok := templateFrom(created)
	if !ok {
		return template{}, permanent(ErrTypeTemplate, "feedback template %s created without the expected fields", created.ID)
	}
	a.cache.put(key, t)
	return t, nil
}

func templateFrom(ft *lever.FeedbackTemplate) (template, bool) {
	t := template{ID: ft.ID}
	for _, f := range ft.Fields {
		switch {
		case f.Type == "score-system" && t.RatingFieldID == "":
			t.RatingFieldID = f.ID
			for _, o := range f.Options {
				t.Options = append(t.Options, o.Text)
			}
		case f.Text == templateSummaryText:
			t.SummaryID = f.ID
		case f.Text == templateReportText:
			t.ReportID = f.ID
		}
	}
	ok := t.ID != "" && t.RatingFieldID != "" && t.SummaryID != "" && t.ReportID != "" && len(t.Options) > 0
	return t, ok
}

// optionFor picks the score-system option for a rating: the exact "<n> - <label>" text, else an
// option that starts with the number, else one whose text after the number is the label.
// Lever's texts vary between accounts and examples, so the template's own text is always sent.
func optionFor(options []string, value int, label string) (string, bool) {
	want := fmt.Sprintf("%d - %s", value, label)
	for _, o := range options {
		if o == want {
			return o, true
		}
	}
	n := strconv.Itoa(value)
	for _, o := range options {
		rest, found := strings.CutPrefix(strings.TrimSpace(o), n)
		if found && (rest == "" || !isDigit(rest[0])) {
			return o, true
		}
	}
	for _, o := range options {
		if label != "" && strings.EqualFold(strings.TrimSpace(o), label) {
			return o, true
		}
	}
	return "", false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
