package codec

import (
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"
)

// maxRequestBytes caps a codec request. Temporal refuses payloads over 2 MiB by default;
// base64 in JSON grows them by a third, and a request may carry several.
const maxRequestBytes = 8 << 20

// handler serves Temporal's remote codec protocol behind CORS and an authorization check.
type handler struct {
	codec     converter.PayloadCodec
	origins   originSet
	authorize func(r *http.Request) bool
}

// Sessions tells whether a request comes from a browser signed in elsewhere on the site (the
// admin page's codec cookie: admin.SessionVerifier).
type Sessions interface {
	SignedIn(r *http.Request) bool
}

// Handler serves Temporal's remote codec protocol for the Web UI and the CLI: POST
// {prefix}/encode and {prefix}/decode with a {"payloads":[...]} JSON body answer the same shape
// (the protocol of converter.NewPayloadCodecHTTPHandler), under whatever prefix it is mounted.
//
// Every request but a CORS preflight must carry "Authorization: Bearer <token>" (the CLI), or,
// with sessions non-nil, a signed-in session's cookie (the stock Web UI, which sends cookies
// but no token); anything else gets 401, and an empty token refuses every bearer. Browsers from
// allowedOrigins (exact origins such as "https://temporal.example.com"; no wildcards) may call
// it with credentials, and only they may use a cookie. Responses are never cached, as decoded
// payloads hold candidate data.
func Handler(codec converter.PayloadCodec, allowedOrigins []string, token string, sessions Sessions) http.Handler {
	if codec == nil {
		panic("codec.Handler: nil payload codec")
	}
	h := &handler{codec: codec, origins: newOriginSet(allowedOrigins)}
	bearer := newBearerToken(token)
	h.authorize = func(r *http.Request) bool {
		return bearer.authorizes(r) || sessions != nil && h.origins.originAbsentOrAllowed(r) && sessions.SignedIn(r)
	}
	return h
}

// LoopbackHandler is Handler for a one-machine development stack: instead of a token (the stock
// Web UI cannot send one) it serves only requests from this machine's loopback addresses, i.e.
// the operator's own browser on the machine that runs the stack. Never expose it to a network.
func LoopbackHandler(codec converter.PayloadCodec, allowedOrigins []string) http.Handler {
	if codec == nil {
		panic("codec.LoopbackHandler: nil payload codec")
	}
	return &handler{codec: codec, origins: newOriginSet(allowedOrigins), authorize: fromLoopback}
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	corsAllowed := h.origins.allowCORS(w, r)
	if r.Method == http.MethodOptions {
		answerPreflight(w, r, corsAllowed)
		return
	}
	if !h.authorize(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="payload codec"`)
		http.Error(w, "missing or wrong bearer token, or not signed in on the admin page", http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var run func([]*commonpb.Payload) ([]*commonpb.Payload, error)
	switch {
	case strings.HasSuffix(r.URL.Path, "/encode"):
		run = h.codec.Encode
	case strings.HasSuffix(r.URL.Path, "/decode"):
		run = h.codec.Decode
	default:
		http.NotFound(w, r)
		return
	}
	in, status, msg := readPayloads(w, r)
	if status != 0 {
		http.Error(w, msg, status)
		return
	}
	out, err := run(in)
	if err != nil {
		http.Error(w, codecErrorMessage(err), http.StatusBadRequest)
		return
	}
	writePayloads(w, out)
}

// readPayloads reads the request's payloads, or returns the status and a message safe to show.
func readPayloads(w http.ResponseWriter, r *http.Request) ([]*commonpb.Payload, int, string) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, http.StatusUnsupportedMediaType, "content type must be application/json"
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, http.StatusRequestEntityTooLarge, "body too large"
	case err != nil:
		return nil, http.StatusBadRequest, "cannot read body"
	}
	var p commonpb.Payloads
	// Unknown fields are dropped so that a newer Web UI or CLI keeps working.
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(body, &p); err != nil {
		return nil, http.StatusBadRequest, `body must be {"payloads":[...]} JSON`
	}
	return p.GetPayloads(), 0, ""
}

// writePayloads answers in the protocol's JSON (protojson: base64 data and metadata values).
func writePayloads(w http.ResponseWriter, payloads []*commonpb.Payload) {
	body := []byte(`{"payloads":[]}`) // protojson would write {}, which the Web UI cannot iterate
	if len(payloads) > 0 {
		var err error
		if body, err = protojson.Marshal(&commonpb.Payloads{Payloads: payloads}); err != nil {
			http.Error(w, "cannot encode response", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// codecErrorMessage repeats this package's own codec errors, which name only a payload index
// and a key id, and hides any other codec's, which might quote payload content.
func codecErrorMessage(err error) string {
	if errors.Is(err, ErrUnknownKey) || errors.Is(err, ErrDecrypt) {
		return err.Error()
	}
	return "codec failed"
}
