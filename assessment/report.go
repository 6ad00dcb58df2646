package assessment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// MaxReportBytes bounds a report file: Lever takes attachments up to 30 MB.
const MaxReportBytes = 30 * 1024 * 1024

var (
	// ErrReportTooLarge: the report file is over MaxReportBytes. Retrying does not help.
	ErrReportTooLarge = errors.New("assessment: report file larger than 30 MB")
	// ErrForeignReportURL: the report URL is not on the platform's own scheme and host, so
	// it is not fetched: our API key goes with the request.
	ErrForeignReportURL = errors.New("assessment: report url is not on the platform's host")
)

// Report is a downloaded report file.
type Report struct {
	Name        string // file name, e.g. "report.pdf"
	ContentType string // media type without parameters; application/pdf when not given
	Data        []byte
}

// DownloadReport fetches a submitted result's report_file_url with the API key. The URL
// must be http(s) on the same scheme and host as the client's base URL
// (ErrForeignReportURL otherwise). A redirect elsewhere is followed without the key, as
// presigned storage URLs need. Files over MaxReportBytes fail with ErrReportTooLarge, an
// HTML page (a login form, say) is refused, and non-2xx answers are *APIError, so
// IsRetryable applies.
//
// The name comes from Content-Disposition's filename, else the URL's last path segment.
func (c *Client) DownloadReport(ctx context.Context, rawURL string) (Report, error) {
	const op = "download report"
	u, err := c.reportURL(rawURL)
	if err != nil {
		return Report{}, fmt.Errorf("assessment: %s: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Report{}, fmt.Errorf("assessment: %s: build request: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/pdf, */*;q=0.5")
	req.Header.Set("User-Agent", userAgent)

	resp, err := c.reportHTTPClient(u).Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err // its message repeats the URL, which may carry a download token
		}
		return Report{}, fmt.Errorf("assessment: %s: %w", op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
		return Report{}, fmt.Errorf("assessment: %s: %w", op, c.apiError(resp, raw))
	}
	if resp.ContentLength > MaxReportBytes {
		return Report{}, fmt.Errorf("%w: %d bytes announced", ErrReportTooLarge, resp.ContentLength)
	}
	ctype := "application/pdf"
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil && mt != "" {
		ctype = mt
	}
	if ctype == "text/html" {
		return Report{}, fmt.Errorf("assessment: %s: answer is an html page, not a report file", op)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxReportBytes+1))
	if err != nil {
		return Report{}, fmt.Errorf("assessment: %s: read body: %w: %w", op, errUnreadableResponse, err)
	}
	if len(data) > MaxReportBytes {
		return Report{}, fmt.Errorf("%w: more than %d bytes", ErrReportTooLarge, MaxReportBytes)
	}
	if len(data) == 0 {
		return Report{}, fmt.Errorf("assessment: %s: %w: empty file", op, errUnreadableResponse)
	}
	return Report{Name: reportName(resp.Header.Get("Content-Disposition"), u, ctype), ContentType: ctype, Data: data}, nil
}

// reportURL parses raw and checks it is on the platform's origin.
func (c *Client) reportURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("report url does not parse")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("report url must be an absolute http(s) url")
	}
	if u.User != nil {
		return nil, errors.New("report url must not carry credentials")
	}
	base, err := url.Parse(c.baseURL) // checked by NewClient
	if err != nil || origin(u) != origin(base) {
		return nil, ErrForeignReportURL
	}
	return u, nil
}

// origin is scheme://host[:port] in lower case, without the scheme's default port.
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" || strings.Contains(host, ":") {
		host = net.JoinHostPort(host, port) // brackets an IPv6 address
		host = strings.TrimSuffix(host, ":")
	}
	return scheme + "://" + host
}

// reportHTTPClient is the client with a redirect rule: the key only ever goes to the
// platform's origin, never to the target of a redirect elsewhere (or to http).
func (c *Client) reportHTTPClient(start *url.URL) *http.Client {
	hc := *c.hc
	prev := c.hc.CheckRedirect
	home := origin(start)
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if origin(req.URL) != home {
			req.Header.Del("Authorization")
		}
		if prev != nil {
			return prev(req, via)
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		return nil
	}
	return &hc
}

// reportName picks a file name: Content-Disposition's filename, else the URL's last
// path segment, else "report"; a PDF without an extension gets ".pdf".
func reportName(disposition string, u *url.URL, ctype string) string {
	var name string
	if _, params, err := mime.ParseMediaType(disposition); err == nil {
		name = params["filename"]
	}
	if name == "" {
		name = path.Base(u.Path)
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		name = "report"
	}
	if ctype == "application/pdf" && path.Ext(name) == "" {
		name += ".pdf"
	}
	return name
}
