package lever

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// FileRecord is a file stored on an opportunity.
type FileRecord struct {
	ID, Name, ContentType, PerformAs string
	Size                             int64
	SHA256                           string // hex of the bytes received
}

type file struct {
	FileRecord
	data       []byte
	uploadedAt int64
}

func (f file) json(r *http.Request, oppID, status string) map[string]any {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return map[string]any{
		"id": f.ID, "name": f.Name, "ext": strings.TrimPrefix(path.Ext(f.Name), "."),
		"uploadedAt": f.uploadedAt, "status": status, "size": f.Size,
		"downloadUrl": scheme + "://" + r.Host + "/v1/opportunities/" + url.PathEscape(oppID) +
			"/files/" + url.PathEscape(f.ID) + "/download",
	}
}

// uploadFile: POST /opportunities/:id/files?perform_as=… with the multipart field
// "file". perform_as is required (400), a file over 30 MB gets 413.
func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	user, failed := s.checkUpload(r, a, p[0])
	if failed.status != 0 {
		failed.write(w)
		return
	}
	f, status, err := readFilePart(w, r)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	f.ID, f.PerformAs, f.uploadedAt = newID(), user, nowMillis()
	s.locked(func() answer {
		o, ok := a.opps[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		o.files = append(o.files, f)
		return data(http.StatusOK, f.json(r, o.ID, "processing"))
	}).write(w)
}

// checkUpload validates what can be checked before reading the body.
func (s *Server) checkUpload(r *http.Request, a *account, oppID string) (string, answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := a.opps[oppID]; !ok {
		return "", fail(http.StatusNotFound, "opportunity not found")
	}
	user, err := performAs(r, a, true)
	if err != nil {
		return "", fail(http.StatusBadRequest, err.Error())
	}
	return user, answer{}
}

// readFilePart reads the "file" part, bounded by Lever's 30 MB; the status goes with err.
func readFilePart(w http.ResponseWriter, r *http.Request) (file, int, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return file{}, http.StatusBadRequest, errors.New("body must be multipart/form-data")
	}
	// Room for the part headers and boundaries around a file of the largest size.
	r.Body = http.MaxBytesReader(w, r.Body, leverapi.MaxFileBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return file{}, http.StatusBadRequest, errors.New("body must be multipart/form-data")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return file{}, http.StatusBadRequest, errors.New("file is required")
		}
		if err != nil {
			return file{}, bodyErrorStatus(err), errors.New("invalid multipart body")
		}
		if part.FormName() != "file" {
			continue
		}
		if part.FileName() == "" {
			return file{}, http.StatusBadRequest, errors.New("file must have a file name")
		}
		b, err := io.ReadAll(io.LimitReader(part, leverapi.MaxFileBytes+1))
		if err != nil {
			return file{}, bodyErrorStatus(err), errors.New("invalid multipart body")
		}
		if len(b) > leverapi.MaxFileBytes {
			return file{}, http.StatusRequestEntityTooLarge, errors.New("file exceeds the 30 MB limit")
		}
		sum := sha256.Sum256(b)
		ct := part.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/octet-stream"
		}
		return file{
			FileRecord: FileRecord{Name: part.FileName(), ContentType: ct, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])},
			data:       b,
		}, 0, nil
	}
}

// bodyErrorStatus is 413 when the body passed its cap, else 400.
func bodyErrorStatus(err error) int {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func (s *Server) listFiles(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	s.listed(w, r, func() ([]any, answer) {
		o, ok := a.opps[p[0]]
		if !ok {
			return nil, fail(http.StatusNotFound, "opportunity not found")
		}
		items := make([]any, 0, len(o.files))
		for _, f := range o.files {
			items = append(items, f.json(r, o.ID, "processed"))
		}
		return items, answer{}
	})
}

// downloadFile: GET /opportunities/:id/files/:fileId/download answers the bytes.
func (s *Server) downloadFile(w http.ResponseWriter, r *http.Request, a *account, p []string) {
	var found *file
	failed := s.locked(func() answer {
		o, ok := a.opps[p[0]]
		if !ok {
			return fail(http.StatusNotFound, "opportunity not found")
		}
		for i := range o.files {
			if o.files[i].ID == p[1] {
				c := o.files[i] // data is never changed after upload, so it can be read unlocked
				found = &c
				return answer{}
			}
		}
		return fail(http.StatusNotFound, "file not found")
	})
	if found == nil {
		failed.write(w)
		return
	}
	w.Header().Set("Content-Type", found.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": found.Name}))
	w.Write(found.data)
}
