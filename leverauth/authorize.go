package leverauth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// Begin starts an authorization: a random state (bind it to the admin's session) and a PKCE
// verifier (keep it server-side until Finish), and the URL to send the browser to, carrying
// the audience Lever requires and the S256 challenge of the verifier.
func (c Config) Begin() (authURL, state, verifier string) {
	state = rand.Text()
	verifier = oauth2.GenerateVerifier()
	authURL = c.oauth2Config().AuthCodeURL(state,
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("audience", c.audience()))
	return authURL, state, verifier
}

// Finish exchanges the code Lever sent to the redirect URL for the account's tokens. It checks
// nothing about state: the caller compares it with the one it bound to the session.
// It fails when Lever grants no refresh token (offline_access refused), because such a
// connection would silently stop working within the hour.
func (c Config) Finish(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	if !c.Enabled() {
		return nil, errors.New("leverauth: exchange code: oauth is not configured (no client id)")
	}
	if code == "" {
		return nil, errors.New("leverauth: exchange code: empty code")
	}
	var opts []oauth2.AuthCodeOption
	if verifier != "" {
		opts = append(opts, oauth2.VerifierOption(verifier))
	}
	tok, err := c.oauth2Config().Exchange(c.withHTTPClient(ctx), code, opts...)
	if err != nil {
		return nil, fmt.Errorf("leverauth: %w", endpointErr("exchange code", err, false))
	}
	switch {
	case tok.AccessToken == "":
		return nil, errors.New("leverauth: exchange code: token endpoint answered without an access token")
	case tok.RefreshToken == "":
		return nil, errors.New("leverauth: exchange code: lever granted no refresh token (offline_access scope refused?)")
	}
	tok.Expiry = expiryOf(tok, time.Now())
	return tok, nil
}

// accessTokenLife is how long Lever's access tokens live (LEVER.md); assumed when an answer
// lacks expires_in, since a zero expiry would read as "never expires".
const accessTokenLife = time.Hour

func expiryOf(tok *oauth2.Token, now time.Time) time.Time {
	if tok.Expiry.IsZero() {
		return now.Add(accessTokenLife)
	}
	return tok.Expiry
}
