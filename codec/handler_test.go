package codec

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const (
	testToken  = "s3cret-codec-token"
	uiOrigin   = "http://localhost:8233"
	codecRoute = "/codec"
)

// newCodecServer serves Handler under codecRoute, as the lead's router would mount it.
func newCodecServer(t *testing.T, c converter.PayloadCodec, token string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(codecRoute+"/", Handler(c, []string{uiOrigin + "/", "https://temporal.example.com"}, token, nil))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// do sends one request and returns the response with its body read.
func do(t *testing.T, method, url string, header map[string]string, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("build %s %s: %v", method, url, err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: got error %v, want nil", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s %s: %v", method, url, err)
	}
	return resp, string(b)
}

// TestHandlerWithSDKRemoteCodec drives the endpoint with the SDK's own remote codec client,
// which speaks the protocol the Temporal CLI uses (--codec-endpoint, --codec-auth).
func TestHandlerWithSDKRemoteCodec(t *testing.T) {
	local := mustCodec(t, testKeys("k1"))
	srv := newCodecServer(t, local, testToken)
	remote := converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{
		Endpoint: srv.URL + codecRoute,
		Client:   http.Client{Timeout: 10 * time.Second},
		ModifyRequest: func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+testToken)
			return nil
		},
	})
	in := []*commonpb.Payload{jsonPayload(t, candidate{"Jane Doe", testEmail, 87}), jsonPayload(t, 42)}

	remoteEnc, err := remote.Encode(in)
	if err != nil {
		t.Fatalf("remote Encode: got error %v, want nil", err)
	}
	localDec, err := local.Decode(remoteEnc)
	if err != nil {
		t.Fatalf("local Decode of remote encoding: got error %v, want nil", err)
	}
	localEnc, err := local.Encode(in)
	if err != nil {
		t.Fatalf("local Encode: got error %v, want nil", err)
	}
	remoteDec, err := remote.Decode(localEnc)
	if err != nil {
		t.Fatalf("remote Decode: got error %v, want nil", err)
	}
	for i := range in {
		if got := string(remoteEnc[i].GetMetadata()["encoding"]); got != EncodingEncrypted {
			t.Errorf("remote encode payload %d encoding: got %q, want %q", i, got, EncodingEncrypted)
		}
		if !proto.Equal(localDec[i], in[i]) {
			t.Errorf("remote encode, local decode, payload %d: got %v, want %v", i, localDec[i], in[i])
		}
		if !proto.Equal(remoteDec[i], in[i]) {
			t.Errorf("local encode, remote decode, payload %d: got %v, want %v", i, remoteDec[i], in[i])
		}
	}

	wrong := converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{
		Endpoint: srv.URL + codecRoute,
		Client:   http.Client{Timeout: 10 * time.Second},
	})
	if _, err := wrong.Decode(localEnc); err == nil || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("remote Decode without token: got error %v, want Unauthorized", err)
	}
}

// TestHandlerAsWebUI sends what the Web UI sends: its origin, X-Namespace and a query string.
func TestHandlerAsWebUI(t *testing.T) {
	c := mustCodec(t, testKeys("k1"))
	srv := newCodecServer(t, c, testToken)
	enc, err := c.Encode([]*commonpb.Payload{jsonPayload(t, testEmail)})
	if err != nil {
		t.Fatalf("Encode: got error %v, want nil", err)
	}
	body, err := json.Marshal(map[string]any{"payloads": []map[string]any{{"metadata": enc[0].GetMetadata(), "data": enc[0].GetData()}}})
	if err != nil {
		t.Fatalf("marshal request: %v", err)
	}
	resp, got := do(t, http.MethodPost, srv.URL+codecRoute+"/decode?preserveStorageRefs=true", map[string]string{
		"Origin": uiOrigin, "X-Namespace": "default", "Content-Type": "application/json",
		"Authorization": "Bearer " + testToken,
	}, string(body))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status: got %d (%s), want 200", resp.StatusCode, got)
	}
	wantHeaders := map[string]string{
		"Access-Control-Allow-Origin":      uiOrigin,
		"Access-Control-Allow-Credentials": "true",
		"Content-Type":                     "application/json",
		"Cache-Control":                    "no-store",
	}
	for h, want := range wantHeaders {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	var out struct {
		Payloads []struct {
			Metadata map[string][]byte `json:"metadata"`
			Data     []byte            `json:"data"`
		} `json:"payloads"`
	}
	if err := json.Unmarshal([]byte(got), &out); err != nil {
		t.Fatalf("response %q: got error %v, want JSON", got, err)
	}
	if len(out.Payloads) != 1 || string(out.Payloads[0].Data) != `"`+testEmail+`"` || string(out.Payloads[0].Metadata["encoding"]) != "json/plain" {
		t.Errorf("decoded: got %+v, want one json/plain payload %q", out.Payloads, `"`+testEmail+`"`)
	}

	resp, got = do(t, http.MethodPost, srv.URL+codecRoute+"/encode", map[string]string{
		"Authorization": "Bearer " + testToken, "Content-Type": "application/json",
	}, `{"payloads":[]}`)
	if resp.StatusCode != http.StatusOK || got != `{"payloads":[]}` {
		t.Errorf("encode no payloads: got %d %q, want 200 %q", resp.StatusCode, got, `{"payloads":[]}`)
	}
}

func TestHandlerAuthorization(t *testing.T) {
	c := mustCodec(t, testKeys("k1"))
	srv := newCodecServer(t, c, testToken)
	emptyTokenSrv := newCodecServer(t, c, "")
	tests := []struct {
		name       string
		url        string
		auth       string
		wantStatus int
	}{
		{"right token", srv.URL, "Bearer " + testToken, http.StatusOK},
		{"lowercase scheme", srv.URL, "bearer " + testToken, http.StatusOK},
		{"no header", srv.URL, "", http.StatusUnauthorized},
		{"wrong token", srv.URL, "Bearer not-the-token", http.StatusUnauthorized},
		{"token prefix", srv.URL, "Bearer " + testToken[:5], http.StatusUnauthorized},
		{"token with suffix", srv.URL, "Bearer " + testToken + "x", http.StatusUnauthorized},
		{"basic scheme", srv.URL, "Basic " + testToken, http.StatusUnauthorized},
		{"token without scheme", srv.URL, testToken, http.StatusUnauthorized},
		{"empty configured token", emptyTokenSrv.URL, "Bearer ", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json", "Origin": uiOrigin}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			resp, body := do(t, http.MethodPost, tt.url+codecRoute+"/decode", h, `{"payloads":[]}`)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d (%s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusUnauthorized {
				return
			}
			if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate: got %q, want Bearer ...", got)
			}
			// The Web UI can only tell a 401 from a network error when CORS lets it read it.
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != uiOrigin {
				t.Errorf("Access-Control-Allow-Origin on 401: got %q, want %q", got, uiOrigin)
			}
			if strings.Contains(body, testToken) {
				t.Errorf("body: got %q, want no token in it", body)
			}
		})
	}
}

func TestHandlerCORS(t *testing.T) {
	srv := newCodecServer(t, mustCodec(t, testKeys("k1")), testToken)
	preflight := map[string]string{
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": "authorization,content-type,x-namespace",
	}
	with := func(h map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range h {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name       string
		method     string
		header     map[string]string
		wantStatus int
		wantOrigin string            // Access-Control-Allow-Origin, "" = absent
		wantHeader map[string]string // further headers that must contain these values
	}{
		{"preflight from the ui", http.MethodOptions, with(preflight, "Origin", uiOrigin), http.StatusNoContent, uiOrigin, map[string]string{
			"Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods":     "POST",
			"Access-Control-Allow-Headers":     "Authorization",
		}},
		{"preflight lists x-namespace", http.MethodOptions, with(preflight, "Origin", uiOrigin), http.StatusNoContent, uiOrigin, map[string]string{
			"Access-Control-Allow-Headers": "X-Namespace",
		}},
		{"preflight from the second origin", http.MethodOptions, with(preflight, "Origin", "https://temporal.example.com"), http.StatusNoContent, "https://temporal.example.com", nil},
		{"preflight to a private network", http.MethodOptions, with(preflight, "Origin", "https://temporal.example.com", "Access-Control-Request-Private-Network", "true"), http.StatusNoContent, "https://temporal.example.com", map[string]string{
			"Access-Control-Allow-Private-Network": "true",
		}},
		{"preflight from another origin", http.MethodOptions, with(preflight, "Origin", "https://evil.example.com"), http.StatusForbidden, "", nil},
		{"preflight from a look-alike origin", http.MethodOptions, with(preflight, "Origin", uiOrigin+".evil.com"), http.StatusForbidden, "", nil},
		{"post from another origin", http.MethodPost, map[string]string{"Origin": "https://evil.example.com", "Authorization": "Bearer " + testToken}, http.StatusOK, "", nil},
		{"post without origin", http.MethodPost, map[string]string{"Authorization": "Bearer " + testToken}, http.StatusOK, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, tt.method, srv.URL+codecRoute+"/decode", tt.header, `{"payloads":[]}`)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d (%s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Errorf("Access-Control-Allow-Origin: got %q, want %q", got, tt.wantOrigin)
			}
			if tt.wantOrigin == "" && resp.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("Access-Control-Allow-Credentials: got %q, want none", resp.Header.Get("Access-Control-Allow-Credentials"))
			}
			for h, want := range tt.wantHeader {
				if got := resp.Header.Get(h); !strings.Contains(got, want) {
					t.Errorf("%s: got %q, want it to contain %q", h, got, want)
				}
			}
			if got := resp.Header.Values("Vary"); !strings.Contains(strings.Join(got, ","), "Origin") {
				t.Errorf("Vary: got %q, want Origin", got)
			}
		})
	}
}

func TestHandlerBadRequests(t *testing.T) {
	c := mustCodec(t, testKeys("k1"))
	srv := newCodecServer(t, c, testToken)
	other := mustCodec(t, testKeys("k9"))
	foreign, err := other.Encode([]*commonpb.Payload{jsonPayload(t, testEmail)})
	if err != nil {
		t.Fatalf("Encode: got error %v, want nil", err)
	}
	foreignJSON, err := json.Marshal(map[string]any{"payloads": []map[string]any{{"metadata": foreign[0].GetMetadata(), "data": foreign[0].GetData()}}})
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"get", http.MethodGet, "/decode", auth, "", http.StatusMethodNotAllowed, "method not allowed"},
		{"unknown operation", http.MethodPost, "/compress", auth, `{"payloads":[]}`, http.StatusNotFound, "not found"},
		{"not json", http.MethodPost, "/decode", auth, `payloads: ` + testEmail, http.StatusBadRequest, `body must be {"payloads":[...]} JSON`},
		{"xml content type", http.MethodPost, "/decode", map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "text/xml"}, `{"payloads":[]}`, http.StatusUnsupportedMediaType, "application/json"},
		{"too large", http.MethodPost, "/encode", auth, `{"payloads":[{"data":"` + strings.Repeat("A", maxRequestBytes) + `"}]}`, http.StatusRequestEntityTooLarge, "too large"},
		{"unknown key id", http.MethodPost, "/decode", auth, string(foreignJSON), http.StatusBadRequest, `unknown encryption key id "k9"`},
		{"unauthorized before not found", http.MethodPost, "/compress", nil, `{}`, http.StatusUnauthorized, "bearer token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, tt.method, srv.URL+codecRoute+tt.path, tt.header, tt.body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d (%.200s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body: got %.200q, want it to contain %q", body, tt.wantBody)
			}
			if strings.Contains(body, testEmail) {
				t.Errorf("body: got %.200q, want no payload content echoed", body)
			}
		})
	}
}

func TestLoopbackHandler(t *testing.T) {
	keys, err := ParseKeys("k1:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCodec(keys)
	if err != nil {
		t.Fatal(err)
	}
	h := LoopbackHandler(c, []string{"http://127.0.0.1:8233"})
	for _, tt := range []struct {
		remote string
		want   int
	}{{"127.0.0.1:5555", http.StatusOK}, {"[::1]:5555", http.StatusOK}, {"10.0.0.7:5555", http.StatusUnauthorized}, {"bogus", http.StatusUnauthorized}} {
		req := httptest.NewRequest(http.MethodPost, "/codec/decode", strings.NewReader(`{"payloads":[]}`))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = tt.remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("from %s: got %d, want %d", tt.remote, rec.Code, tt.want)
		}
	}
}
