package lever

import (
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"
)

// TokenRejecter is a token source that can be told Lever refused one of its access tokens
// with 401 before the token's expiry (Lever invalidated it early). After TokenRejected its
// Token must not hand out that token again: it refreshes, unless the token was replaced in the
// meantime (another request's refresh), so that concurrent 401s cost one refresh. The client
// then sends the request once more; a source that is not a TokenRejecter cannot renew its
// token, and its 401 is final.
type TokenRejecter interface {
	oauth2.TokenSource
	TokenRejected(accessToken string)
}

// authorize sets the Authorization header, fetching a token per request so a refresh
// done elsewhere (or by the token source itself) takes effect at once. It returns the access
// token sent, "" for an API key.
func (c *Client) authorize(req *http.Request) (string, error) {
	if c.ts == nil {
		req.SetBasicAuth(c.apiKey, "")
		return "", nil
	}
	tok, err := c.ts.Token()
	if err != nil {
		return "", tokenError(err)
	}
	if tok == nil || tok.AccessToken == "" {
		return "", errors.New("fetch access token: token source returned no token")
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return tok.AccessToken, nil
}

// renewToken tells the token source that Lever answered sent with 401, and reports whether a
// new token may cure it: only a TokenRejecter can renew, and only a 401 to a bearer token asks
// for it.
func (c *Client) renewToken(sent string, err error) bool {
	rej, ok := c.ts.(TokenRejecter)
	apiErr, isAPI := errors.AsType[*APIError](err)
	if !ok || sent == "" || !isAPI || apiErr.StatusCode != http.StatusUnauthorized {
		return false
	}
	rej.TokenRejected(sent)
	return true
}

// tokenError maps a refused refresh (invalid_grant, 401, 403) to ErrAccessRevoked: Lever
// revokes an app by invalidating its refresh token.
func tokenError(err error) error {
	if re, ok := errors.AsType[*oauth2.RetrieveError](err); ok {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.ErrorCode == "invalid_grant" || status == http.StatusUnauthorized || status == http.StatusForbidden {
			return fmt.Errorf("fetch access token: refresh refused (%s, status %d): %w", re.ErrorCode, status, ErrAccessRevoked)
		}
		// The token endpoint's body is left out: it is not ours to log.
		return &tokenEndpointError{status: status, code: re.ErrorCode}
	}
	return &tokenSourceError{err: err}
}

// tokenSourceError is a token source failing for another reason (the store it saves rotated
// tokens in briefly unreachable, say): a later attempt may work. A source that reports
// revocation wraps ErrAccessRevoked, which IsRetryable checks first.
type tokenSourceError struct{ err error }

func (e *tokenSourceError) Error() string { return "fetch access token: " + e.err.Error() }
func (e *tokenSourceError) Unwrap() error { return e.err }

// tokenEndpointError is a refresh the token endpoint refused for another reason.
type tokenEndpointError struct {
	status int
	code   string
}

func (e *tokenEndpointError) Error() string {
	return fmt.Sprintf("fetch access token: token endpoint answered status %d %s", e.status, e.code)
}

// retryable reports whether the token endpoint may answer better later.
func (e *tokenEndpointError) retryable() bool {
	return e.status == http.StatusTooManyRequests || e.status >= 500
}
