package platform_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

func fetch(t *testing.T, url, key string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestSubmittedCallbackLinksTheReportFile(t *testing.T) {
	e := newEnv(t)
	inv := e.invite(t, "wf-1")
	reportURL := e.api.URL + "/v1/invitations/" + inv.ID + "/report.pdf"

	if resp, _ := fetch(t, reportURL, apiKey); resp.StatusCode != http.StatusConflict {
		t.Errorf("report before submission: got %d, want 409", resp.StatusCode)
	}
	if err := e.sim.Submit(context.Background(), inv.ID, assessment.Result{}); err != nil {
		t.Fatalf("Submit: got %v, want nil", err)
	}
	got, _ := e.rc.callbacks()
	if len(got) != 1 || got[0].Result == nil || got[0].Result.ReportFileURL != reportURL {
		t.Fatalf("callbacks: got %+v, want one with report_file_url %s", got, reportURL)
	}

	resp, body := fetch(t, reportURL, apiKey)
	want := platformsim.ReportPDF(inv.ID, "asmt-1")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.Equal(body, want) ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), inv.ID+".pdf") {
		t.Errorf("report: got %d %s %q (%d bytes), want 200 application/pdf, a file name and the PDF",
			resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), len(body))
	}
	for _, tt := range []struct {
		name, url, key string
		want           int
	}{
		{"no key", reportURL, "", 401},
		{"wrong key", reportURL, "nope", 401},
		{"unknown invitation", e.api.URL + "/v1/invitations/inv_nope/report.pdf", apiKey, 404},
	} {
		if resp, _ := fetch(t, tt.url, tt.key); resp.StatusCode != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
}

func TestReportFileOptions(t *testing.T) {
	tests := []struct {
		name   string
		noFile bool
		given  string
		want   func(api, inv string) string
	}{
		{"default", false, "", func(api, inv string) string { return api + "/v1/invitations/" + inv + "/report.pdf" }},
		{"given by the test", false, "https://files.example/r.pdf", func(string, string) string { return "https://files.example/r.pdf" }},
		{"platform without report files", true, "", func(string, string) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{status: http.StatusOK}
			cbSrv := httptest.NewServer(rc)
			t.Cleanup(cbSrv.Close)
			sim := platformsim.New(platformsim.Options{APIKey: apiKey, CallbackURL: cbSrv.URL, CallbackSecret: secret, NoReportFile: tt.noFile})
			sim.AddAssessment("asmt-1", "Go Backend")
			api := httptest.NewServer(sim)
			t.Cleanup(api.Close)
			c, _ := assessment.NewClient(api.URL, apiKey)
			inv := inviteKey(t, c, "k")
			if err := sim.Submit(context.Background(), inv.ID, assessment.Result{ReportFileURL: tt.given}); err != nil {
				t.Fatalf("Submit: got %v, want nil", err)
			}
			got, _ := rc.callbacks()
			if want := tt.want(api.URL, inv.ID); len(got) != 1 || got[0].Result.ReportFileURL != want {
				t.Errorf("report_file_url: got %+v, want %q", got, want)
			}
		})
	}
}

func TestAutoPlayLinksTheReportFile(t *testing.T) {
	_, c, sink, api := autoEnv(t, &platformsim.AutoPlay{SkipStart: true, SubmitAfter: time.Millisecond}, 0)
	inv := inviteKey(t, c, "k")
	cb := next(t, sink.got)
	if want := api.URL + "/v1/invitations/" + inv.ID + "/report.pdf"; cb.Result == nil || cb.Result.ReportFileURL != want {
		t.Errorf("auto-played result: got %+v, want report_file_url %s", cb.Result, want)
	}
}

func TestReportURLUnderStripPrefix(t *testing.T) {
	rc := &receiver{status: http.StatusOK}
	cbSrv := httptest.NewServer(rc)
	t.Cleanup(cbSrv.Close)
	sim := platformsim.New(platformsim.Options{APIKey: apiKey, CallbackURL: cbSrv.URL, CallbackSecret: secret})
	sim.AddAssessment("asmt-1", "Go Backend")
	mux := http.NewServeMux()
	mux.Handle("/platform/", http.StripPrefix("/platform", sim))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, _ := assessment.NewClient(srv.URL+"/platform", apiKey)
	inv := inviteKey(t, c, "k")
	if err := sim.Submit(context.Background(), inv.ID, assessment.Result{}); err != nil {
		t.Fatalf("Submit: got %v, want nil", err)
	}
	got, _ := rc.callbacks()
	want := srv.URL + "/platform/v1/invitations/" + inv.ID + "/report.pdf"
	if len(got) != 1 || got[0].Result.ReportFileURL != want {
		t.Fatalf("report_file_url: got %+v, want %s", got, want)
	}
	if resp, _ := fetch(t, want, apiKey); resp.StatusCode != 200 {
		t.Errorf("GET report under the prefix: got %d, want 200", resp.StatusCode)
	}
}

// TestReportPDFIsWellFormed checks what a PDF reader relies on: the header, every object at
// the offset the cross-reference table gives, startxref pointing at the table, the end marker.
func TestReportPDFIsWellFormed(t *testing.T) {
	for _, ids := range [][2]string{{"inv_1", "asmt-1"}, {`inv (odd) \ id`, "a\nb"}} {
		pdf := platformsim.ReportPDF(ids[0], ids[1])
		if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
			t.Fatalf("%q: got no PDF header or end marker", ids)
		}
		m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
		if m == nil {
			t.Fatalf("%q: got no startxref", ids)
		}
		xref, _ := strconv.Atoi(string(m[1]))
		if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 6\n")) {
			t.Fatalf("%q: startxref %d points at %q, want the xref table", ids, xref, pdf[xref:min(xref+10, len(pdf))])
		}
		entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
		if len(entries) != 5 {
			t.Fatalf("%q: got %d in-use entries, want 5", ids, len(entries))
		}
		for i, en := range entries {
			off, _ := strconv.Atoi(string(en[1]))
			if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(pdf[off:], []byte(want)) {
				t.Errorf("%q: object %d offset %d points at %q", ids, i+1, off, pdf[off:min(off+10, len(pdf))])
			}
		}
		if !bytes.Contains(pdf, []byte(`inv \(odd\) \\ id`)) && ids[0] != "inv_1" {
			t.Errorf("%q: got the id unescaped in the text", ids)
		}
	}
}

func TestReportFaults(t *testing.T) {
	e := newEnv(t)
	inv := e.invite(t, "wf-1")
	if err := e.sim.Submit(context.Background(), inv.ID, assessment.Result{}); err != nil {
		t.Fatalf("Submit: got %v, want nil", err)
	}
	e.sim.InjectFault(platformsim.Fault{Method: http.MethodGet, PathContains: "/report.pdf", Status: 503, Times: 1})
	_, err := e.client.DownloadReport(context.Background(), e.api.URL+"/v1/invitations/"+inv.ID+"/report.pdf")
	if apiErr, ok := errors.AsType[*assessment.APIError](err); !ok || apiErr.StatusCode != 503 || !assessment.IsRetryable(err) {
		t.Errorf("DownloadReport under a fault: got %v, want a retryable 503", err)
	}
	r, err := e.client.DownloadReport(context.Background(), e.api.URL+"/v1/invitations/"+inv.ID+"/report.pdf")
	if err != nil || !bytes.Equal(r.Data, platformsim.ReportPDF(inv.ID, "asmt-1")) {
		t.Errorf("DownloadReport after the fault: got (%d bytes, %v), want the PDF", len(r.Data), err)
	}
}
