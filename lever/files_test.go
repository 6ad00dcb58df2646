package lever_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

var pdf = []byte("%PDF-1.4\n% a tiny report\n%%EOF\n")

func TestUploadFileRequestShape(t *testing.T) {
	tests := []struct {
		name               string
		file               lever.NewFile
		wantName, wantType string
	}{
		{"pdf", lever.NewFile{Name: "report.pdf", ContentType: "application/pdf", Data: pdf}, "report.pdf", "application/pdf"},
		{"no content type", lever.NewFile{Name: "r.bin", Data: pdf}, "r.bin", "application/octet-stream"},
		{"quotes and a path", lever.NewFile{Name: `C:\dir/My "final" report.pdf`, ContentType: "application/pdf", Data: pdf}, `My "final" report.pdf`, "application/pdf"},
		{"control characters", lever.NewFile{Name: "a\r\nb.pdf", ContentType: "application/pdf", Data: pdf}, "ab.pdf", "application/pdf"},
		{"unicode", lever.NewFile{Name: "Résumé – Casey.pdf", ContentType: "application/pdf", Data: pdf}, "Résumé – Casey.pdf", "application/pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, got := recorder(t, http.StatusOK, `{"data":{"id":"f1","name":"x","ext":"pdf","uploadedAt":1700000000000,"downloadUrl":"https://d","status":"processing","size":31}}`)
			file, err := c.UploadFile(context.Background(), "o 1", tt.file, "u1")
			if err != nil {
				t.Fatalf("UploadFile: got %v, want nil", err)
			}
			want := lever.File{ID: "f1", Name: "x", Ext: "pdf", UploadedAt: 1700000000000, DownloadURL: "https://d", Status: "processing", Size: 31}
			if *file != want {
				t.Errorf("file: got %+v, want %+v", *file, want)
			}
			reqs := got()
			if len(reqs) != 1 {
				t.Fatalf("requests: got %d, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != "POST" || r.path != "/opportunities/o%201/files" || r.query != "perform_as=u1" {
				t.Errorf("request: got %s %s ?%s, want POST /opportunities/o%%201/files ?perform_as=u1", r.method, r.path, r.query)
			}
			parts := readParts(t, r)
			if len(parts) != 1 || parts[0].field != "file" || parts[0].filename != tt.wantName ||
				parts[0].ctype != tt.wantType || !bytes.Equal(parts[0].data, pdf) {
				t.Errorf("parts: got %+v, want one field file named %q of %s with the data", parts, tt.wantName, tt.wantType)
			}
		})
	}
}

type part struct {
	field, filename, ctype string
	data                   []byte
}

func readParts(t *testing.T, r recorded) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.ctype)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type: got %q, want multipart/form-data", r.ctype)
	}
	mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
	var out []part
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("multipart: got %v, want parts", err)
		}
		b, _ := io.ReadAll(p)
		out = append(out, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), b})
	}
}

func TestUploadFileAnswerShapes(t *testing.T) {
	tests := []struct {
		name, body string
		wantID     string
		wantErr    bool
	}{
		{"wrapped", `{"data":{"id":"f1","name":"r.pdf"}}`, "f1", false},
		{"bare", `{"id":"f1","name":"r.pdf","uploadedAt":"1700000000000","size":"12"}`, "f1", false},
		{"doubly wrapped", `{"data":{"data":{"id":"f1"}}}`, "f1", false},
		{"no id", `{"data":{"name":"r.pdf"}}`, "", true},
		{"empty", ``, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := recorder(t, http.StatusOK, tt.body)
			f, err := c.UploadFile(context.Background(), "o1", lever.NewFile{Name: "r.pdf", Data: pdf}, "u1")
			if (err != nil) != tt.wantErr || (err == nil && f.ID != tt.wantID) {
				t.Errorf("UploadFile: got (%+v, %v), want id %q error %v", f, err, tt.wantID, tt.wantErr)
			}
		})
	}
}

func TestUploadFileRefusals(t *testing.T) {
	ctx := context.Background()
	c, got := recorder(t, http.StatusOK, `{"data":{"id":"f1"}}`)
	tests := []struct {
		name      string
		opp       string
		file      lever.NewFile
		performAs string
		tooLarge  bool
	}{
		{"no perform_as", "o1", lever.NewFile{Name: "r.pdf", Data: pdf}, "", false},
		{"no opportunity", "", lever.NewFile{Name: "r.pdf", Data: pdf}, "u1", false},
		{"no name", "o1", lever.NewFile{Name: " \n", Data: pdf}, "u1", false},
		{"over 30 MB", "o1", lever.NewFile{Name: "r.pdf", Data: make([]byte, lever.MaxFileBytes+1)}, "u1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UploadFile(ctx, tt.opp, tt.file, tt.performAs)
			if err == nil || lever.IsRetryable(err) || errors.Is(err, lever.ErrFileTooLarge) != tt.tooLarge {
				t.Errorf("UploadFile: got %v, want a non-retryable error (too large: %v)", err, tt.tooLarge)
			}
		})
	}
	if n := len(got()); n != 0 {
		t.Errorf("requests: got %d, want 0", n)
	}
	// Exactly 30 MB is allowed.
	if _, err := c.UploadFile(ctx, "o1", lever.NewFile{Name: "r.pdf", Data: make([]byte, lever.MaxFileBytes)}, "u1"); err != nil {
		t.Errorf("UploadFile(30 MB): got %v, want nil", err)
	}
}

func TestUploadFileLeverErrors(t *testing.T) {
	tests := []struct {
		status   int
		wantIs   error
		tooLarge bool
	}{
		{http.StatusRequestEntityTooLarge, lever.ErrFileTooLarge, true},
		{http.StatusUnauthorized, lever.ErrAccessRevoked, false},
		{http.StatusForbidden, lever.ErrMissingScope, false},
		{http.StatusNotFound, lever.ErrNotFound, false},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			c, got := recorder(t, tt.status, `{"code":"x","message":"no"}`)
			_, err := c.UploadFile(context.Background(), "o1", lever.NewFile{Name: "r.pdf", Data: pdf}, "u1")
			apiErr, ok := errors.AsType[*lever.APIError](err)
			if !ok || apiErr.StatusCode != tt.status || !errors.Is(err, tt.wantIs) || lever.IsRetryable(err) ||
				errors.Is(err, lever.ErrFileTooLarge) != tt.tooLarge {
				t.Errorf("UploadFile: got %v, want a non-retryable %d that is %v", err, tt.status, tt.wantIs)
			}
			if n := len(got()); n != 1 {
				t.Errorf("requests: got %d, want 1", n)
			}
		})
	}
}

func TestFilesOnTheSimulator(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{PageSize: 1})
	up, err := f.client.UploadFile(ctx, oppID, lever.NewFile{Name: "Casey - report.pdf", ContentType: "application/pdf", Data: pdf}, userID)
	if err != nil {
		t.Fatalf("UploadFile: got %v, want nil", err)
	}
	if up.ID == "" || up.Name != "Casey - report.pdf" || up.Ext != "pdf" || up.Size != int64(len(pdf)) || up.UploadedAt == 0 || up.DownloadURL == "" {
		t.Errorf("uploaded: got %+v, want the file's id, name, ext, size, time and download url", up)
	}
	if _, err := f.client.UploadFile(ctx, oppID, lever.NewFile{Name: "second.txt", ContentType: "text/plain", Data: []byte("hi")}, userID); err != nil {
		t.Fatalf("UploadFile(second): got %v, want nil", err)
	}
	files, err := f.client.ListFiles(ctx, oppID)
	var names []string
	for _, fl := range files {
		names = append(names, fl.Name)
	}
	if err != nil || !slices.Equal(names, []string{"Casey - report.pdf", "second.txt"}) || files[0].ID != up.ID {
		t.Errorf("ListFiles: got (%+v, %v), want both files, the report first", files, err)
	}
	sum := sha256.Sum256(pdf)
	st, _ := f.sim.Snapshot(acct, oppID)
	if len(st.Files) != 2 || st.Files[0].SHA256 != hex.EncodeToString(sum[:]) || st.Files[0].ContentType != "application/pdf" || st.Files[0].PerformAs != userID {
		t.Errorf("stored files: got %+v, want the report's bytes as application/pdf by %s", st.Files, userID)
	}
	if _, err := f.client.ListFiles(ctx, "opp-nope"); !errors.Is(err, lever.ErrNotFound) {
		t.Errorf("ListFiles(unknown): got %v, want ErrNotFound", err)
	}
	_, err = f.client.UploadFile(ctx, oppID, lever.NewFile{Name: "r.pdf", Data: pdf}, "ghost")
	if apiErr, ok := errors.AsType[*lever.APIError](err); !ok || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("UploadFile(unknown perform_as): got %v, want 400", err)
	}
}

// TestUploadFileNotRepeated: after a 500 or a dropped connection Lever may have stored
// the file, so the client does not send it again; the caller looks with ListFiles.
func TestUploadFileNotRepeated(t *testing.T) {
	for _, fault := range []leversim.Fault{
		{Method: "POST", PathContains: "/files", Status: 500, AfterApply: true},
		{Method: "POST", PathContains: "/files", DropConnection: true, AfterApply: true},
	} {
		f := newFixture(t, leversim.Options{})
		f.sim.InjectFault(fault)
		_, err := f.client.UploadFile(context.Background(), oppID, lever.NewFile{Name: "r.pdf", Data: pdf}, userID)
		if err == nil || !lever.IsRetryable(err) {
			t.Errorf("fault %+v: got %v, want a retryable error for the caller", fault, err)
		}
		if n := f.route("POST /opportunities/:id/files"); n != 1 {
			t.Errorf("fault %+v: attempts got %d, want 1", fault, n)
		}
		files, err := f.client.ListFiles(context.Background(), oppID)
		if err != nil || len(files) != 1 {
			t.Errorf("fault %+v: ListFiles got (%d files, %v), want the one stored file", fault, len(files), err)
		}
	}
	// 429 means Lever did nothing: retried, one file.
	f := newFixture(t, leversim.Options{})
	f.sim.InjectFault(leversim.Fault{Method: "POST", PathContains: "/files", Status: 429})
	if _, err := f.client.UploadFile(context.Background(), oppID, lever.NewFile{Name: "r.pdf", Data: pdf}, userID); err != nil {
		t.Fatalf("UploadFile after 429: got %v, want nil", err)
	}
	if st, _ := f.sim.Snapshot(acct, oppID); len(st.Files) != 1 || !strings.HasSuffix(st.Files[0].Name, ".pdf") {
		t.Errorf("stored files after 429: got %+v, want one", st.Files)
	}
}

func TestObserverNamesNewEndpoints(t *testing.T) {
	w := &watcher{}
	f := newFixture(t, leversim.Options{}, lever.WithObserver(w))
	ctx := context.Background()
	f.client.ChangeStage(ctx, oppID, "stage-assess", "")
	f.client.Archive(ctx, oppID, leversim.ReasonWithdrew, "")
	f.client.UploadFile(ctx, oppID, lever.NewFile{Name: "r.pdf", Data: pdf}, userID)
	f.client.ListFiles(ctx, oppID)
	f.client.ListArchiveReasons(ctx)
	want := []string{
		"PUT /opportunities/:id/stage OK", "PUT /opportunities/:id/archived OK", "POST /opportunities/:id/files OK",
		"GET /opportunities/:id/files OK", "GET /archive_reasons OK",
	}
	if !slices.Equal(w.requests, want) {
		t.Errorf("requests: got %q, want %q", w.requests, want)
	}
}
