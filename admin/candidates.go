package admin

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/workflows"
)

const (
	// recentLimit is how many candidates the page lists.
	recentLimit = 20
	// recentScan is how many workflows are read to find the newest: SQL visibility stores
	// cannot ORDER BY, and list running workflows first, then by close time.
	recentScan = 100
)

// candidateRow is one workflow. The candidate's name and Lever page come from the journey's memo
// (encrypted with the history keys), set once it read Lever; older journeys have none.
type candidateRow struct {
	WorkflowID, Opportunity, Assessment, Status, Execution string
	Name, LeverURL                                         string
	Started                                                time.Time
	Link                                                   string // Temporal Web UI, "" without one
}

// visibilityQuery lists the account's workflows (ids are [a-z0-9-] already).
func visibilityQuery(accountID string) string { return workflows.AccountQuery(accountID) }

// recentCandidates returns the account's newest workflows, newest first.
func (h *handler) recentCandidates(ctx context.Context, accountID string) ([]candidateRow, error) {
	resp, err := h.deps.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Namespace: h.cfg.Namespace, PageSize: recentScan, Query: visibilityQuery(accountID),
	})
	if err != nil {
		return nil, err
	}
	rows := make([]candidateRow, 0, len(resp.GetExecutions()))
	for _, ex := range resp.GetExecutions() {
		attrs := ex.GetSearchAttributes().GetIndexedFields()
		id := ex.GetExecution().GetWorkflowId()
		row := candidateRow{
			WorkflowID:  id,
			Opportunity: keyword(attrs, workflows.AttrOpportunity.GetName()),
			Assessment:  keyword(attrs, workflows.AttrAssessment.GetName()),
			Status:      keyword(attrs, workflows.AttrStatus.GetName()),
			Execution:   strings.ToLower(ex.GetStatus().String()),
			Started:     ex.GetStartTime().AsTime(),
		}
		memo := ex.GetMemo().GetFields()
		row.Name = h.memoText(memo, workflows.MemoCandidateName)
		row.LeverURL = safeURL(h.memoText(memo, workflows.MemoLeverURL))
		if h.cfg.UIURL != "" {
			row.Link = h.workflowLink(id)
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b candidateRow) int { return b.Started.Compare(a.Started) })
	if len(rows) > recentLimit {
		rows = rows[:recentLimit]
	}
	return rows, nil
}

// workflowLink is the workflow's page in the Temporal Web UI.
func (h *handler) workflowLink(id string) string {
	ns := h.cfg.Namespace
	if ns == "" {
		ns = "default"
	}
	return h.cfg.UIURL + "/namespaces/" + url.PathEscape(ns) + "/workflows/" + url.PathEscape(id)
}

// keyword decodes a Keyword search attribute (never encrypted); absent or undecodable gives "".
func keyword(attrs map[string]*commonpb.Payload, name string) string {
	return text(converter.GetDefaultDataConverter(), attrs, name)
}

// memoText decodes a text memo field with the deployment's data converter (the codec when history
// keys are set); absent or undecodable gives "".
func (h *handler) memoText(memo map[string]*commonpb.Payload, name string) string {
	dc := h.deps.Converter
	if dc == nil {
		dc = converter.GetDefaultDataConverter()
	}
	return text(dc, memo, name)
}

// text decodes the string payload fields[name] with dc; absent or undecodable gives "".
func text(dc converter.DataConverter, fields map[string]*commonpb.Payload, name string) string {
	p, found := fields[name]
	if !found {
		return ""
	}
	var s string
	if err := dc.FromPayload(p, &s); err != nil {
		return ""
	}
	return s
}

// safeURL keeps only http(s) links, so a value read back from history cannot become a script link.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return s
}

// candidatesProblem logs a visibility failure and words it for the page ("" for none).
func (h *handler) candidatesProblem(accountID string, err error) string {
	if err == nil {
		return ""
	}
	h.log.Warn("list recent workflows failed", zap.String("account_id", accountID), zap.Error(err))
	if errors.Is(err, context.DeadlineExceeded) {
		return "Temporal did not answer in time; reload the page to try again."
	}
	return "Could not list recent candidates from Temporal; the details are in the server log."
}
