package leverauth

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// Lever's OAuth endpoints. The audience (trailing slash included) is required by /authorize.
// The sandbox values come from open-source clients, not Lever's documentation.
const (
	AuthURL  = "https://auth.lever.co/authorize"
	TokenURL = "https://auth.lever.co/oauth/token"
	Audience = "https://api.lever.co/v1/"

	SandboxAuthURL  = "https://sandbox-lever.auth0.com/authorize"
	SandboxTokenURL = "https://sandbox-lever.auth0.com/oauth/token"
	SandboxAudience = "https://api.sandbox.lever.co/v1/"
)

// defaultHTTPTimeout bounds each call to the token endpoint when Config.HTTPClient is nil.
const defaultHTTPTimeout = 15 * time.Second

// Config is assessbridge's registration as a Lever partner app.
type Config struct {
	ClientID, ClientSecret      string
	AuthURL, TokenURL, Audience string       // defaults: production
	RedirectURL                 string       // our /admin/oauth/callback, registered with Lever (exact match)
	Scopes                      []string     // default Scopes()
	HTTPClient                  *http.Client // default 15 s timeout
}

// Enabled reports whether OAuth is configured (a client id is set).
func (c Config) Enabled() bool { return c.ClientID != "" }

// String keeps the client secret out of logs should a Config be printed.
func (c Config) String() string {
	return fmt.Sprintf("leverauth.Config{ClientID:%q AuthURL:%q TokenURL:%q Audience:%q RedirectURL:%q Scopes:%q secret:redacted}",
		c.ClientID, c.authURL(), c.tokenURL(), c.audience(), c.RedirectURL, c.scopes())
}

// GoString is String for %#v.
func (c Config) GoString() string { return c.String() }

// oauth2Config is the x/oauth2 view of c with the defaults filled in.
func (c Config) oauth2Config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:  c.authURL(),
			TokenURL: c.tokenURL(),
			// LEVER.md: client_id and client_secret travel in the form body.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: c.RedirectURL,
		Scopes:      c.scopes(),
	}
}

// withHTTPClient hands our client to x/oauth2, which looks for it in the context.
func (c Config) withHTTPClient(ctx context.Context) context.Context {
	client := c.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: defaultHTTPTimeout}
	}
	return context.WithValue(ctx, oauth2.HTTPClient, client)
}

func (c Config) authURL() string  { return or(c.AuthURL, AuthURL) }
func (c Config) tokenURL() string { return or(c.TokenURL, TokenURL) }
func (c Config) audience() string { return or(c.Audience, Audience) }

func (c Config) scopes() []string {
	if len(c.Scopes) == 0 {
		return Scopes()
	}
	return c.Scopes
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
