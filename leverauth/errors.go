package leverauth

import (
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
)

// endpointError is a refusal from Lever's token endpoint. Its message has the status and the
// OAuth error code but not the body, which is not ours to log. It unwraps to the
// *oauth2.RetrieveError and, for a refused refresh, to lever.ErrAccessRevoked.
type endpointError struct {
	op      string
	status  int
	code    string
	revoked bool
	err     *oauth2.RetrieveError
}

func (e *endpointError) Error() string {
	s := fmt.Sprintf("%s: token endpoint answered status %d", e.op, e.status)
	if e.code != "" {
		s += " " + e.code
	}
	if e.revoked {
		s += " (access revoked: the account must be reconnected)"
	}
	return s
}

func (e *endpointError) Unwrap() []error {
	if e.revoked {
		return []error{lever.ErrAccessRevoked, e.err}
	}
	return []error{e.err}
}

// endpointErr describes err from the token endpoint. A refresh answered invalid_grant, 401 or
// 403 means the grant is gone (Lever revokes an app by invalidating its refresh tokens), so it
// matches lever.ErrAccessRevoked and callers mark the account disconnected.
func endpointErr(op string, err error, refresh bool) error {
	re, ok := errors.AsType[*oauth2.RetrieveError](err)
	if !ok {
		// No answer (transport error, timeout): the message names only the token URL.
		return fmt.Errorf("%s: %w", op, err)
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	revoked := refresh &&
		(re.ErrorCode == "invalid_grant" || status == http.StatusUnauthorized || status == http.StatusForbidden)
	return &endpointError{op: op, status: status, code: re.ErrorCode, revoked: revoked, err: re}
}
