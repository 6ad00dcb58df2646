package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// CompletionInput names whose completion settings to read.
type CompletionInput struct {
	AccountID string
	PostingID string
}

// Completion is what happens when a candidate submits: the account's settings with the
// posting's overrides, read when the candidate submits so that a change applies to everyone
// who submits after it. Zero values are off.
type Completion struct {
	CompletionStageID string
	PassThreshold     *float64
	PassStageID       string
	FailStageID       string
	ArchiveBelow      *float64
	ArchiveReasonID   string
	ArchiveGrace      time.Duration
	UploadReport      bool
}

// CompletionSettings reads the completion settings (store only, no Lever call).
func (a *Activities) CompletionSettings(ctx context.Context, in CompletionInput) (Completion, error) {
	acct, err := a.account(ctx, in.AccountID)
	if err != nil {
		return Completion{}, err
	}
	if in.PostingID != "" {
		p, err := a.store.PostingSettings(ctx, in.AccountID, in.PostingID)
		switch {
		case err == nil:
			acct = acct.WithPosting(p)
		case !errors.Is(err, store.ErrNotFound):
			return Completion{}, fmt.Errorf("read posting settings: %w", err)
		}
	}
	c := Completion{
		CompletionStageID: acct.CompletionStageID, PassThreshold: acct.PassThreshold,
		PassStageID: acct.PassStageID, FailStageID: acct.FailStageID,
		ArchiveBelow: acct.ArchiveBelow, ArchiveReasonID: acct.ArchiveReasonID,
		ArchiveGrace: acct.EffectiveArchiveGrace(), UploadReport: acct.UploadReport,
	}
	if c.ArchiveReasonID == "" {
		c.ArchiveBelow = nil // validation forbids it; never archive without a reason
	}
	return c, nil
}

// StageInput asks where a candidate is now; Names are stage ids whose names the caller wants.
type StageInput struct {
	AccountID     string
	OpportunityID string
	Names         []string
}

// StageState is where the candidate is now.
type StageState struct {
	StageID  string
	Archived bool
	Names    map[string]string // stage id → name, for the ids asked and the current one (unknown ones left out)
}

// CurrentStage reads the candidate's stage and archive state: one Lever request, plus the
// account's stage list when it is not cached.
func (a *Activities) CurrentStage(ctx context.Context, in StageInput) (StageState, error) {
	if in.AccountID == "" || in.OpportunityID == "" {
		return StageState{}, permanent(ErrTypeInvalidInput, "current stage: account and opportunity are required")
	}
	lc, err := a.leverFor(ctx, in.AccountID)
	if err != nil {
		return StageState{}, err
	}
	opp, err := lc.GetOpportunity(ctx, in.OpportunityID)
	if errors.Is(err, lever.ErrNotFound) {
		return StageState{}, permanent(ErrTypeNotFound, "current stage: opportunity %s not found in Lever", in.OpportunityID)
	}
	if err != nil {
		return StageState{}, a.leverErr(ctx, in.AccountID, "current stage: read opportunity", err)
	}
	st := StageState{StageID: opp.StageID, Archived: opp.Archived != nil, Names: map[string]string{}}
	if len(in.Names) > 0 {
		stages, err := a.stages(ctx, lc, in.AccountID)
		if err != nil {
			// Names only make the note friendlier; the ids serve.
			activity.GetLogger(ctx).Warn("stage names unavailable", "error", err)
		}
		for _, id := range append(in.Names, opp.StageID) {
			if name, ok := stages[id]; ok {
				st.Names[id] = name
			}
		}
	}
	return st, nil
}

func (a *Activities) stages(ctx context.Context, lc LeverAPI, accountID string) (map[string]string, error) {
	k := cacheKey{account: accountID, kind: "stages"}
	if v, ok := a.cache.get(k); ok {
		return v.(map[string]string), nil
	}
	list, err := lc.ListStages(ctx)
	if err != nil {
		return nil, a.leverErr(ctx, accountID, "list stages", err)
	}
	names := make(map[string]string, len(list))
	for _, s := range list {
		names[s.ID] = s.Text
	}
	a.cache.put(k, names)
	return names, nil
}

// MoveInput moves a candidate to a stage.
type MoveInput struct {
	AccountID     string
	OpportunityID string
	StageID       string
}

// MoveStage moves the candidate (setting an absolute stage: a retry changes nothing). The
// workflow checks with CurrentStage first that nobody moved the candidate meanwhile.
func (a *Activities) MoveStage(ctx context.Context, in MoveInput) error {
	if in.AccountID == "" || in.OpportunityID == "" || in.StageID == "" {
		return permanent(ErrTypeInvalidInput, "move stage: account, opportunity and stage are required")
	}
	return a.leverWrite(ctx, in.AccountID, "move stage", func(lc LeverAPI, performAs string) error {
		return lc.ChangeStage(ctx, in.OpportunityID, in.StageID, performAs)
	})
}

// ArchiveInput archives a candidate with a reason.
type ArchiveInput struct {
	AccountID     string
	OpportunityID string
	ReasonID      string
}

// ArchiveCandidate archives the candidate (an absolute state: a retry changes nothing).
func (a *Activities) ArchiveCandidate(ctx context.Context, in ArchiveInput) error {
	if in.AccountID == "" || in.OpportunityID == "" || in.ReasonID == "" {
		return permanent(ErrTypeInvalidInput, "archive: account, opportunity and reason are required")
	}
	return a.leverWrite(ctx, in.AccountID, "archive", func(lc LeverAPI, performAs string) error {
		return lc.Archive(ctx, in.OpportunityID, in.ReasonID, performAs)
	})
}

// ReportInput attaches the platform's report file to the opportunity once.
type ReportInput struct {
	AccountID     string
	OpportunityID string
	ReportFileURL string
	Title         string // the assessment's title, for the file name
	Marker        string
}

// ReportName is the name the report is attached under: the marker makes it findable by a retry.
func ReportName(title, marker, ext string) string {
	return fmt.Sprintf("%s report (ref %s)%s", title, marker, ext)
}

// ReportSource downloads report files; the platform client is one.
type ReportSource interface {
	DownloadReport(ctx context.Context, url string) (assessment.Report, error)
}

// AttachReport downloads the report from the platform and uploads it to the opportunity. A
// retried attempt first lists the opportunity's files and stops if this run's file is there:
// the upload is not safe to repeat blindly. Returns the attached file's name.
func (a *Activities) AttachReport(ctx context.Context, in ReportInput) (string, error) {
	if in.AccountID == "" || in.OpportunityID == "" || in.ReportFileURL == "" || in.Marker == "" {
		return "", permanent(ErrTypeInvalidInput, "attach report: account, opportunity, report URL and marker are required")
	}
	src, ok := a.platform.(ReportSource)
	if !ok {
		return "", permanent(ErrTypeInvalidInput, "attach report: the platform client cannot download reports")
	}
	acct, err := a.account(ctx, in.AccountID)
	if err != nil {
		return "", err
	}
	lc, err := a.leverFor(ctx, in.AccountID)
	if err != nil {
		return "", err
	}
	ref := "(ref " + in.Marker + ")"
	if activity.GetInfo(ctx).Attempt > 1 {
		files, err := lc.ListFiles(ctx, in.OpportunityID)
		if err != nil {
			return "", a.leverErr(ctx, in.AccountID, "attach report: list files", err)
		}
		for _, f := range files {
			if strings.Contains(f.Name, ref) {
				return f.Name, nil
			}
		}
	}
	rep, err := src.DownloadReport(ctx, in.ReportFileURL)
	if err != nil {
		return "", platformErr("attach report: download", err)
	}
	ext := ".pdf"
	if i := strings.LastIndexByte(rep.Name, '.'); i >= 0 && len(rep.Name)-i <= 6 {
		ext = rep.Name[i:]
	}
	name := ReportName(in.Title, in.Marker, ext)
	f, err := lc.UploadFile(ctx, in.OpportunityID, lever.NewFile{Name: name, ContentType: rep.ContentType, Data: rep.Data}, acct.PerformAs)
	if errors.Is(err, lever.ErrFileTooLarge) {
		return "", permanent(ErrTypeRejected, "attach report: the report is larger than Lever's 30 MB limit")
	}
	if err != nil {
		return "", a.leverErr(ctx, in.AccountID, "attach report: upload", err)
	}
	if f != nil && f.Name != "" {
		name = f.Name
	}
	return name, nil
}
