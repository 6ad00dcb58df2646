package platform

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/assessbridge/assessbridge/assessment"
)

// reportPath is where an invitation's report file is served, under {base}/v1/invitations/{id}.
const reportPath = "report.pdf"

// reportFileURL is the report's URL on the base the invitation was created through (the
// same base as its invite_url).
func reportFileURL(inv *Invitation) string {
	base := strings.TrimSuffix(inv.InviteURL, "/take/"+inv.ID)
	return base + "/v1/invitations/" + inv.ID + "/" + reportPath
}

// withReportFile returns r with report_file_url set, unless r has one already or the
// option turns report files off. Callers hold s.mu.
func (s *Server) withReportFile(inv *Invitation, r *assessment.Result) *assessment.Result {
	if r == nil || r.ReportFileURL != "" || s.opts.NoReportFile {
		return r
	}
	c := *r
	c.ReportFileURL = reportFileURL(inv)
	return &c
}

// handleReport serves GET {base}/v1/invitations/{id}/report.pdf: a small PDF once the
// candidate has submitted.
func (s *Server) handleReport(w http.ResponseWriter, id string) {
	inv, ok := s.Invitation(id)
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "not_found", "no such invitation")
		return
	case inv.Status != assessment.StatusSubmitted:
		writeError(w, http.StatusConflict, "report_not_ready", "the candidate has not submitted")
		return
	}
	pdf := ReportPDF(inv.ID, inv.AssessmentID)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "assessment-report-" + inv.ID + ".pdf"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}

// ReportPDF is the report file the simulator serves for an invitation: a one-page PDF
// naming it, with a valid cross-reference table.
func ReportPDF(invitationID, assessmentID string) []byte {
	text := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (Assessment report) Tj 0 -28 Td /F1 12 Tf (Invitation %s, assessment %s) Tj ET",
		pdfString(invitationID), pdfString(assessmentID))
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, obj := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, obj)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pdfString escapes text for a PDF literal string.
func pdfString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", "", "\n", " ").Replace(s)
}
