package lever

import (
	"errors"
	htmltemplate "html/template"
	"net/http"
	"net/url"
	"strings"
)

// authRequest is the query of GET /authorize, carried through the consent form.
type authRequest struct {
	ClientID, RedirectURI, ResponseType, State, Scope, Audience string
	CodeChallenge, CodeChallengeMethod                          string
}

func parseAuthRequest(v url.Values) authRequest {
	return authRequest{
		ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"), ResponseType: v.Get("response_type"),
		State: v.Get("state"), Scope: v.Get("scope"), Audience: v.Get("audience"),
		CodeChallenge: v.Get("code_challenge"), CodeChallengeMethod: v.Get("code_challenge_method"),
	}
}

// validate checks the request as Lever's auth server does; its errors are shown on a
// 400 page, never sent to the redirect_uri (it may not be trustworthy yet).
func (s *Server) validate(ar authRequest) error {
	switch {
	case ar.ClientID != s.opts.OAuthClientID:
		return errors.New("unknown client_id")
	case ar.ResponseType != "code":
		return errors.New("response_type must be code")
	case ar.Audience != s.opts.OAuthAudience:
		return errors.New("audience is missing or not this API's")
	case ar.RedirectURI == "":
		return errors.New("redirect_uri is required")
	case ar.CodeChallenge != "" && ar.CodeChallengeMethod != "S256":
		return errors.New("code_challenge_method must be S256")
	case ar.CodeChallenge == "" && ar.CodeChallengeMethod != "":
		return errors.New("code_challenge_method without code_challenge")
	}
	u, err := url.Parse(ar.RedirectURI)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" {
		return errors.New("redirect_uri must be an absolute URL without fragment")
	}
	return nil
}

var consentPage = htmltemplate.Must(htmltemplate.New("consent").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Authorize app - Lever (simulated)</title></head>
<body>
<h1>Authorize app</h1>
<p>The app <b>{{.Req.ClientID}}</b> asks for access to your Lever account:</p>
<ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="/authorize/decision">
<label for="account">Lever account</label>
<select name="account" id="account">{{range $i, $a := .Accounts}}
<option value="{{$a}}"{{if eq $i 0}} selected{{end}}>{{$a}}</option>{{end}}
</select>
<input type="hidden" name="client_id" value="{{.Req.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="response_type" value="{{.Req.ResponseType}}">
<input type="hidden" name="state" value="{{.Req.State}}">
<input type="hidden" name="scope" value="{{.Req.Scope}}">
<input type="hidden" name="audience" value="{{.Req.Audience}}">
<input type="hidden" name="code_challenge" value="{{.Req.CodeChallenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Req.CodeChallengeMethod}}">
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>
</body></html>
`))

var errorPage = htmltemplate.Must(htmltemplate.New("error").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Authorization error - Lever (simulated)</title></head>
<body><h1>Authorization error</h1><p id="error">{{.}}</p></body></html>
`))

// serveAuthorize renders the consent page for a valid GET /authorize.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	ar := parseAuthRequest(r.URL.Query())
	if err := s.validate(ar); err != nil {
		writeHTML(w, http.StatusBadRequest, errorPage, err.Error())
		return
	}
	s.mu.Lock()
	accounts := append([]string(nil), s.order...)
	s.mu.Unlock()
	writeHTML(w, http.StatusOK, consentPage, map[string]any{
		"Req": ar, "Accounts": accounts, "Scopes": strings.Fields(ar.Scope),
	})
}

// serveDecision answers the consent form: Allow redirects with a code, Deny with
// error=access_denied, both carrying state.
func (s *Server) serveDecision(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		writeHTML(w, http.StatusBadRequest, errorPage, "the form could not be read")
		return
	}
	ar := parseAuthRequest(r.PostForm)
	if err := s.validate(ar); err != nil {
		writeHTML(w, http.StatusBadRequest, errorPage, err.Error())
		return
	}
	back := url.Values{}
	if ar.State != "" {
		back.Set("state", ar.State)
	}
	switch r.PostForm.Get("decision") {
	case "allow":
		code, err := s.Authorize(r.PostForm.Get("account"), ar.ClientID, ar.RedirectURI, ar.Scope, ar.State, ar.CodeChallenge)
		if err != nil {
			writeHTML(w, http.StatusBadRequest, errorPage, "choose a Lever account to authorize")
			return
		}
		back.Set("code", code)
	case "deny":
		back.Set("error", "access_denied")
		back.Set("error_description", "The user denied access to the app")
	default:
		writeHTML(w, http.StatusBadRequest, errorPage, "decision must be allow or deny")
		return
	}
	http.Redirect(w, r, withQuery(ar.RedirectURI, back), http.StatusFound)
}

// withQuery adds v to rawURL's query, keeping what it already holds.
func withQuery(rawURL string, v url.Values) string {
	u, _ := url.Parse(rawURL) // validated before
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func writeHTML(w http.ResponseWriter, status int, t *htmltemplate.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	t.Execute(w, data)
}
