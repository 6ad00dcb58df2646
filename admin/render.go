package admin

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the parsed templates, one per page, each with the shared layout.
type pages map[string]*template.Template

var pageNames = []string{"login", "index", "account", "candidate", "error"}

func parsePages() (pages, error) {
	funcs := template.FuncMap{
		"prefix": func() string { return Prefix },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"postingForm": func(row postingRow, csrf, accountID, query string) postingFormView {
			return postingFormView{Row: row, CSRF: csrf, AccountID: accountID, Query: query}
		},
	}
	p := pages{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("admin: parse template %s: %w", name, err)
		}
		p[name] = t
	}
	return p, nil
}

// postingFormView is what the posting-thresholds template needs from inside a range.
type postingFormView struct {
	Row                    postingRow
	CSRF, AccountID, Query string
}

// view is what every page gets; Body is the page's own data.
type view struct {
	Title    string
	CSRF     string // the form token; "" hides forms that need a session
	SignedIn bool
	Notices  []notice
	Body     any
}

// render executes the page into a buffer first, so a template error never sends half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	var buf bytes.Buffer
	if err := h.pages[page].Execute(&buf, v); err != nil {
		h.log.Error("render admin page", zap.String("page", page), zap.Error(err),
			zap.String("request_id", middleware.GetReqID(r.Context())))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderError shows a short message; for signed-in admins with a link back.
func (h *handler) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	var s session
	signedIn := h.readCookie(r, sessionCookie, purposeSession, &s) && s.ID != ""
	v := view{Title: http.StatusText(status), SignedIn: signedIn, Body: msg}
	if signedIn {
		v.CSRF = h.csrfToken(s)
	}
	h.render(w, r, status, "error", v)
}

// internalError logs err (never shown: it may name internals) and answers a plain 500 page.
func (h *handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("admin request failed", zap.String("path", r.URL.Path), zap.Error(err),
		zap.String("request_id", middleware.GetReqID(r.Context())))
	h.renderError(w, r, http.StatusInternalServerError, "Something went wrong on our side; the details are in the server log.")
}
