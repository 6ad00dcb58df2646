package lever_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	leverapi "github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// multipartBody builds a form with one part named field.
func multipartBody(t *testing.T, field, filename, ctype string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	disp := `form-data; name="` + field + `"`
	if filename != "" {
		disp += `; filename="` + filename + `"`
	}
	h.Set("Content-Disposition", disp)
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	p, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	p.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// upload POSTs body to the files endpoint and decodes the answer.
func (e *env) upload(t *testing.T, opp, query string, body io.Reader, ctype string) reply {
	t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/v1/opportunities/"+opp+"/files"+query, body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST files: got %v, want an answer", err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&r.body); err != nil {
		t.Fatalf("POST files: answer is not JSON: %v", err)
	}
	return r
}

func TestUploadFileAPI(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	asUser := "?perform_as=" + userID
	tests := []struct {
		name, opp, query string
		body             func() (io.Reader, string)
		want             int
	}{
		{"no perform_as", oppID, "", func() (io.Reader, string) { return multipartBody(t, "file", "r.pdf", "application/pdf", pdf) }, 400},
		{"unknown perform_as", oppID, "?perform_as=ghost", func() (io.Reader, string) { return multipartBody(t, "file", "r.pdf", "application/pdf", pdf) }, 400},
		{"unknown opportunity", "nope", asUser, func() (io.Reader, string) { return multipartBody(t, "file", "r.pdf", "application/pdf", pdf) }, 404},
		{"not multipart", oppID, asUser, func() (io.Reader, string) { return strings.NewReader(`{"file":"x"}`), "application/json" }, 400},
		{"other field", oppID, asUser, func() (io.Reader, string) { return multipartBody(t, "resume", "r.pdf", "application/pdf", pdf) }, 400},
		{"no file name", oppID, asUser, func() (io.Reader, string) { return multipartBody(t, "file", "", "application/pdf", pdf) }, 400},
		{"over 30 MB", oppID, asUser, func() (io.Reader, string) {
			return multipartBody(t, "file", "big.pdf", "application/pdf", make([]byte, leverapi.MaxFileBytes+1))
		}, 413},
		{"exactly 30 MB", oppID, asUser, func() (io.Reader, string) {
			return multipartBody(t, "file", "max.bin", "", make([]byte, leverapi.MaxFileBytes))
		}, 200},
		{"report", oppID, asUser, func() (io.Reader, string) { return multipartBody(t, "file", "report.pdf", "application/pdf", pdf) }, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ctype := tt.body()
			r := e.upload(t, tt.opp, tt.query, body, ctype)
			if r.status != tt.want {
				t.Fatalf("status: got %d %v, want %d", r.status, r.body, tt.want)
			}
		})
	}
	st, _ := e.sim.Snapshot(acct, oppID)
	sum := sha256.Sum256(pdf)
	if len(st.Files) != 2 || st.Files[0].Name != "max.bin" || st.Files[0].ContentType != "application/octet-stream" ||
		st.Files[0].Size != leverapi.MaxFileBytes || st.Files[1].Name != "report.pdf" || st.Files[1].SHA256 != hex.EncodeToString(sum[:]) ||
		st.Files[1].PerformAs != userID || st.Files[1].ContentType != "application/pdf" {
		t.Fatalf("stored files: got %+v, want max.bin then report.pdf by %s", st.Files, userID)
	}

	list := e.do(t, "GET", "/v1/opportunities/"+oppID+"/files", nil).list(t)
	if len(list) != 2 {
		t.Fatalf("GET files: got %d, want 2", len(list))
	}
	report := list[1].(map[string]any)
	if report["id"] != st.Files[1].ID || report["name"] != "report.pdf" || report["ext"] != "pdf" || report["size"] != float64(len(pdf)) ||
		report["uploadedAt"] == nil || report["status"] == nil {
		t.Errorf("listed file: got %v, want report.pdf's id, ext pdf, size, uploadedAt, status", report)
	}
	req, _ := http.NewRequest("GET", report["downloadUrl"].(string), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, pdf) || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("download: got %d %s %q, want 200 application/pdf with the bytes", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}
	if n := e.sim.Calls(acct).ByRoute["POST /opportunities/:id/files"]; n != len(tests) {
		t.Errorf("counted uploads: got %d, want %d", n, len(tests))
	}
}

func TestApply(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	rc, url := newReceiver(t, 200)
	e.sim.AddWebhook(acct, leverapi.EventApplicationCreated, url, sigToken)
	tests := []struct {
		id   string
		body map[string]any
		want int
	}{
		{"opp-2", map[string]any{"account": acct, "postingId": "posting-1", "name": "Ada", "email": "ada@example.com", "stageId": "stage-new"}, 204},
		{"opp-3", map[string]any{"account": acct, "postingId": "posting-nope"}, 400},
		{"opp-4", map[string]any{"account": acct}, 400},
		{oppID, map[string]any{"account": acct, "postingId": "posting-1"}, 400}, // exists
	}
	for _, tt := range tests {
		if r := e.do(t, "POST", "/_sim/opportunities/"+tt.id+"/apply", tt.body, "-"); r.status != tt.want {
			t.Errorf("apply %s: got %d %v, want %d", tt.id, r.status, r.body, tt.want)
		}
	}
	if got := rc.events(t, 1); len(got) != 1 {
		t.Fatalf("deliveries: got %q, want one applicationCreated", got)
	}
	ac, err := rc.hooks[0].ApplicationCreated()
	want := leverapi.ApplicationCreated{OpportunityID: "opp-2", CandidateID: "opp-2", ContactID: "contact-opp-2", ApplicationID: "application-opp-2"}
	if err != nil || ac != want || !rc.verified[0] {
		t.Errorf("applicationCreated: got %+v (%v), want %+v signed", ac, err, want)
	}
	o := e.do(t, "GET", "/opportunities/opp-2?expand=applications", nil).data(t)
	apps, _ := o["applications"].([]any)
	if len(apps) != 1 || apps[0].(map[string]any)["posting"] != "posting-1" || o["stage"] != "stage-new" || o["name"] != "Ada" {
		t.Errorf("applied opportunity: got %v, want Ada at stage-new applying to posting-1", o)
	}
}
