package assessment_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/assessbridge/assessbridge/assessment"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

func TestParseCallbackReportFileURL(t *testing.T) {
	body := `{"id":"e","event":"submitted","invitation_id":"inv_1","reference":"wf-1","result":{"score":1,"max_score":2,"report_file_url":"https://p/v1/invitations/inv_1/report.pdf"}}`
	cb, err := assessment.ParseCallback([]byte(body))
	if err != nil || cb.Result.ReportFileURL != "https://p/v1/invitations/inv_1/report.pdf" {
		t.Errorf("ParseCallback: got (%+v, %v), want the report file url", cb, err)
	}
	cb, err = assessment.ParseCallback([]byte(`{"event":"submitted","invitation_id":"inv_1","reference":"wf-1","result":{"report_file_url":"not a url"}}`))
	if err != nil || cb.Result.ReportFileURL != "not a url" {
		t.Errorf("ParseCallback with a bad report file url: got (%+v, %v), want it kept for DownloadReport to refuse", cb, err)
	}
}

// callbackCatcher records the callbacks the simulator sends.
type callbackCatcher struct {
	mu  sync.Mutex
	got []assessment.Callback
}

func (c *callbackCatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	cb, err := assessment.ParseCallback(body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.got = append(c.got, *cb)
	c.mu.Unlock()
}

func TestDownloadReportFromTheSimulator(t *testing.T) {
	ctx := context.Background()
	catcher := &callbackCatcher{}
	cbSrv := httptest.NewServer(catcher)
	t.Cleanup(cbSrv.Close)
	sim := platformsim.New(platformsim.Options{APIKey: apiKey, CallbackURL: cbSrv.URL, CallbackSecret: "s"})
	sim.AddAssessment("asmt-1", "Go Backend")
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := assessment.NewClient(srv.URL, apiKey)
	if err != nil {
		t.Fatalf("NewClient: got %v, want nil", err)
	}
	req := inviteReq("wf-1", "asmt-1")
	req.CallbackURL = "" // the simulator's default: the catcher
	inv, err := c.Invite(ctx, req)
	if err != nil {
		t.Fatalf("Invite: got %v, want nil", err)
	}
	early, err := c.DownloadReport(ctx, srv.URL+"/v1/invitations/"+inv.ID+"/report.pdf")
	if !errors.Is(err, assessment.ErrConflict) || assessment.IsRetryable(err) || early.Data != nil {
		t.Errorf("DownloadReport before submission: got (%d bytes, %v), want a 409", len(early.Data), err)
	}
	if err := sim.Submit(ctx, inv.ID, assessment.Result{}); err != nil {
		t.Fatalf("Submit: got %v, want nil", err)
	}
	if len(catcher.got) != 1 || catcher.got[0].Result == nil || catcher.got[0].Result.ReportFileURL == "" {
		t.Fatalf("callbacks: got %+v, want one with a report file url", catcher.got)
	}
	r, err := c.DownloadReport(ctx, catcher.got[0].Result.ReportFileURL)
	want := assessment.Report{Name: "assessment-report-" + inv.ID + ".pdf", ContentType: "application/pdf", Data: platformsim.ReportPDF(inv.ID, "asmt-1")}
	if err != nil || r.Name != want.Name || r.ContentType != want.ContentType || !bytes.Equal(r.Data, want.Data) {
		t.Errorf("DownloadReport: got (%s %s %d bytes, %v), want %s %s %d bytes", r.Name, r.ContentType, len(r.Data), err, want.Name, want.ContentType, len(want.Data))
	}
	other, _ := assessment.NewClient(srv.URL, "wrong-key")
	if _, err := other.DownloadReport(ctx, catcher.got[0].Result.ReportFileURL); !isStatus(err, http.StatusUnauthorized) || assessment.IsRetryable(err) {
		t.Errorf("DownloadReport with a wrong key: got %v, want a non-retryable 401", err)
	}
}

func isStatus(err error, status int) bool {
	apiErr, ok := errors.AsType[*assessment.APIError](err)
	return ok && apiErr.StatusCode == status
}

// fileServer answers every request with h and counts requests and the keys they carried.
type fileServer struct {
	mu    sync.Mutex
	n     int
	auths []string
	srv   *httptest.Server
}

func newFileServer(t *testing.T, h http.HandlerFunc) *fileServer {
	t.Helper()
	fs := &fileServer{}
	fs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.n++
		fs.auths = append(fs.auths, r.Header.Get("Authorization"))
		fs.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(fs.srv.Close)
	return fs
}

func (fs *fileServer) client(t *testing.T, base string) *assessment.Client {
	t.Helper()
	c, err := assessment.NewClient(base, apiKey)
	if err != nil {
		t.Fatalf("NewClient: got %v, want nil", err)
	}
	return c
}

func TestDownloadReportRefusesForeignURLs(t *testing.T) {
	fs := newFileServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("%PDF")) })
	c := fs.client(t, fs.srv.URL+"/api")
	host := strings.TrimPrefix(fs.srv.URL, "http://")
	_, port, _ := strings.Cut(host, ":")
	tests := []struct {
		name, url string
		foreign   bool
	}{
		{"other host", "http://platform.invalid:" + port + "/r.pdf", true},
		{"other port", "http://127.0.0.1:1/r.pdf", true},
		{"other scheme", "https://" + host + "/r.pdf", true},
		{"localhost for 127.0.0.1", "http://localhost:" + port + "/r.pdf", true},
		{"credentials in the url", "http://user:pw@" + host + "/r.pdf", false},
		{"relative", "/api/r.pdf", false},
		{"ftp", "ftp://" + host + "/r.pdf", false},
		{"not a url", "http://%zz", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.DownloadReport(context.Background(), tt.url)
			if err == nil || assessment.IsRetryable(err) || errors.Is(err, assessment.ErrForeignReportURL) != tt.foreign {
				t.Errorf("DownloadReport(%s): got %v, want a non-retryable error (foreign: %v)", tt.url, err, tt.foreign)
			}
		})
	}
	if fs.n != 0 {
		t.Errorf("requests: got %d, want none", fs.n)
	}
	// Same origin, outside the base path, with the host in capitals: allowed.
	if _, err := c.DownloadReport(context.Background(), "HTTP://"+strings.ToUpper(host)+"/files/r.pdf"); err != nil {
		t.Errorf("DownloadReport(same origin): got %v, want nil", err)
	}
}

func TestDownloadReportAnswers(t *testing.T) {
	pdf := []byte("%PDF-1.4 tiny")
	tests := []struct {
		name     string
		path     string
		h        http.HandlerFunc
		want     assessment.Report
		tooLarge bool
		wantErr  bool
		retry    bool
	}{
		{"filename from Content-Disposition", "/v1/x/report.pdf", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Disposition", `attachment; filename="Ada's report.pdf"`)
			w.Write(pdf)
		}, assessment.Report{Name: "Ada's report.pdf", ContentType: "application/pdf", Data: pdf}, false, false, false},
		{"RFC 5987 filename", "/r", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`)
			w.Write(pdf)
		}, assessment.Report{Name: "Résumé.pdf", ContentType: "application/pdf", Data: pdf}, false, false, false},
		{"filename with a path", "/r", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Disposition", `attachment; filename="../../etc/report.pdf"`)
			w.Write(pdf)
		}, assessment.Report{Name: "report.pdf", ContentType: "application/pdf", Data: pdf}, false, false, false},
		{"name from the url, no type", "/v1/invitations/inv_1/scorecard", func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil // no sniffing: the contract's default applies
			w.Write(pdf)
		}, assessment.Report{Name: "scorecard.pdf", ContentType: "application/pdf", Data: pdf}, false, false, false},
		{"other type kept", "/v1/r.zip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "Application/Zip; charset=binary")
			w.Write(pdf)
		}, assessment.Report{Name: "r.zip", ContentType: "application/zip", Data: pdf}, false, false, false},
		{"html page", "/r.pdf", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html>log in</html>"))
		}, assessment.Report{}, false, true, false},
		{"announced over 30 MB", "/r.pdf", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(assessment.MaxReportBytes+1))
			w.Write(pdf)
		}, assessment.Report{}, true, true, false},
		{"streamed over 30 MB", "/r.pdf", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.(http.Flusher).Flush() // chunked: no length announced
			w.Write(make([]byte, assessment.MaxReportBytes+1))
		}, assessment.Report{}, true, true, false},
		{"empty", "/r.pdf", func(w http.ResponseWriter, r *http.Request) {}, assessment.Report{}, false, true, true},
		{"server error", "/r.pdf", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}, assessment.Report{}, false, true, true},
		{"gone", "/r.pdf", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
		}, assessment.Report{}, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFileServer(t, tt.h)
			r, err := fs.client(t, fs.srv.URL).DownloadReport(context.Background(), fs.srv.URL+tt.path)
			if (err != nil) != tt.wantErr || errors.Is(err, assessment.ErrReportTooLarge) != tt.tooLarge || assessment.IsRetryable(err) != tt.retry {
				t.Fatalf("DownloadReport: got %v, want error %v (too large %v, retryable %v)", err, tt.wantErr, tt.tooLarge, tt.retry)
			}
			if r.Name != tt.want.Name || r.ContentType != tt.want.ContentType || !bytes.Equal(r.Data, tt.want.Data) {
				t.Errorf("report: got %q %q %d bytes, want %q %q %d bytes", r.Name, r.ContentType, len(r.Data), tt.want.Name, tt.want.ContentType, len(tt.want.Data))
			}
			if len(fs.auths) != 1 || fs.auths[0] != "Bearer "+apiKey {
				t.Errorf("authorization: got %q, want one request with our key", fs.auths)
			}
		})
	}
}

// TestDownloadReportRedirects: a redirect within the platform keeps the key; one to
// storage elsewhere is followed without it.
func TestDownloadReportRedirects(t *testing.T) {
	pdf := []byte("%PDF-1.4 stored")
	storage := newFileServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write(pdf) })
	var platform *fileServer
	platform = newFileServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved.pdf":
			http.Redirect(w, r, "/final.pdf", http.StatusFound)
		case "/elsewhere.pdf":
			http.Redirect(w, r, storage.srv.URL+"/bucket/report.pdf?sig=abc", http.StatusFound)
		default:
			w.Write(pdf)
		}
	})
	c := platform.client(t, platform.srv.URL)
	for _, path := range []string{"/moved.pdf", "/elsewhere.pdf"} {
		r, err := c.DownloadReport(context.Background(), platform.srv.URL+path)
		if err != nil || !bytes.Equal(r.Data, pdf) {
			t.Errorf("DownloadReport(%s): got (%d bytes, %v), want the file", path, len(r.Data), err)
		}
	}
	want := []string{"Bearer " + apiKey, "Bearer " + apiKey, "Bearer " + apiKey}
	if strings.Join(platform.auths, ",") != strings.Join(want, ",") {
		t.Errorf("platform saw keys %q, want %q", platform.auths, want)
	}
	if len(storage.auths) != 1 || storage.auths[0] != "" {
		t.Errorf("storage saw keys %q, want one request without a key", storage.auths)
	}
}
