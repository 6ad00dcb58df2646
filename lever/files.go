package lever

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// MaxFileBytes is Lever's limit on an uploaded file: 30 MB.
const MaxFileBytes = 30 * 1024 * 1024

// ErrFileTooLarge reports a file over MaxFileBytes, refused before sending, or Lever's
// 413 for it. Retrying does not help.
var ErrFileTooLarge = errors.New("lever: file larger than 30 MB")

// NewFile is a file to attach to an opportunity. ContentType defaults to
// application/octet-stream.
type NewFile struct {
	Name        string
	ContentType string
	Data        []byte
}

// File is a file attached to an opportunity.
type File struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Ext         string `json:"ext"`
	UploadedAt  int64  `json:"uploadedAt"` // ms since epoch
	DownloadURL string `json:"downloadUrl"`
	Status      string `json:"status"` // e.g. "processing", "processed"
	Size        int64  `json:"size"`   // bytes; 0 when Lever leaves it out
}

// UploadFile attaches a file to an opportunity (POST /opportunities/:id/files, multipart
// field "file"). Lever requires perform_as here, so an empty performAs fails before
// sending, as does a file over MaxFileBytes (ErrFileTooLarge).
//
// Not retried after 500/502/504 or a transport error: Lever may have stored the file.
// The caller should look for it with ListFiles before trying again.
func (c *Client) UploadFile(ctx context.Context, opportunityID string, f NewFile, performAs string) (*File, error) {
	if opportunityID == "" {
		return nil, errors.New("lever: upload file: empty opportunity id")
	}
	if performAs == "" {
		return nil, errors.New("lever: upload file: " + errNoPerformAs.Error())
	}
	name := cleanFileName(f.Name)
	if name == "" {
		return nil, errors.New("lever: upload file: empty file name")
	}
	if len(f.Data) > MaxFileBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrFileTooLarge, len(f.Data))
	}
	body, contentType, err := multipartFile(name, f.ContentType, f.Data)
	if err != nil {
		return nil, fmt.Errorf("lever: upload file: %w", err)
	}
	var raw json.RawMessage
	err = c.do(ctx, call{
		method:      "POST",
		path:        "/opportunities/" + url.PathEscape(opportunityID) + "/files",
		query:       url.Values{"perform_as": {performAs}},
		raw:         body,
		contentType: contentType,
	}, &raw)
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.StatusCode == http.StatusRequestEntityTooLarge {
		return nil, fmt.Errorf("%w: %w", ErrFileTooLarge, err)
	}
	if err != nil {
		return nil, err
	}
	var w fileWire
	if json.Unmarshal(unwrapData(raw), &w) != nil || w.ID == "" {
		return nil, errors.New("lever: POST /opportunities/…/files: answer has no file id")
	}
	file := w.file()
	return &file, nil
}

// ListFiles lists all files of an opportunity, following every page.
func (c *Client) ListFiles(ctx context.Context, opportunityID string) ([]File, error) {
	if opportunityID == "" {
		return nil, errors.New("lever: list files: empty opportunity id")
	}
	wires, err := listAll[fileWire](ctx, c, "/opportunities/"+url.PathEscape(opportunityID)+"/files", nil)
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, len(wires))
	for _, w := range wires {
		out = append(out, w.file())
	}
	return out, nil
}

// multipartFile encodes data as the form field "file". The part's header is written by
// hand because multipart.Writer.CreateFormFile always says application/octet-stream.
func multipartFile(name, contentType string, data []byte) ([]byte, string, error) {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteEscaper.Replace(name)+`"`)
	h.Set("Content-Type", contentType)
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", fmt.Errorf("create part: %w", err)
	}
	if _, err := part.Write(data); err != nil {
		return nil, "", fmt.Errorf("write part: %w", err)
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("close multipart: %w", err)
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// cleanFileName keeps the last path element and drops control characters, which would
// break the part header.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	return strings.TrimSpace(name)
}

// fileWire is Lever's file: ids may be objects, numbers may arrive as strings.
type fileWire struct {
	ID          ref    `json:"id"`
	Name        string `json:"name"`
	Ext         string `json:"ext"`
	UploadedAt  millis `json:"uploadedAt"`
	DownloadURL string `json:"downloadUrl"`
	Status      string `json:"status"`
	Size        millis `json:"size"` // not a time, but the same tolerant integer
}

func (w fileWire) file() File {
	return File{
		ID: string(w.ID), Name: w.Name, Ext: w.Ext, UploadedAt: int64(w.UploadedAt),
		DownloadURL: w.DownloadURL, Status: w.Status, Size: int64(w.Size),
	}
}
