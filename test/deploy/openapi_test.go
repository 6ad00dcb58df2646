package deploy

import (
	"crypto/rand"
	"encoding/base64"
	"maps"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.yaml.in/yaml/v3"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/metrics"
	"github.com/assessbridge/assessbridge/service"
)

// openAPI is the part of api/openapi.yaml the checks read.
type openAPI struct {
	OpenAPI    string                    `yaml:"openapi"`
	Paths      map[string]map[string]any `yaml:"paths"`
	Components map[string]map[string]any `yaml:"components"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations are the document's (METHOD, path) pairs, split by listener: a path with its own
// servers naming :9090 is (also) on the metrics listener; one without, or with another server,
// is on the front door.
func (d openAPI) operations() (frontDoor, metricsListener map[string][]string) {
	frontDoor, metricsListener = map[string][]string{}, map[string][]string{}
	for path, item := range d.Paths {
		onFront, onMetrics := true, false
		if servers, ok := item["servers"].([]any); ok {
			onFront = false
			for _, s := range servers {
				url, _ := s.(map[string]any)["url"].(string)
				if strings.Contains(url, ":9090") {
					onMetrics = true
				} else {
					onFront = true
				}
			}
		}
		for method := range item {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			m := strings.ToUpper(method)
			if onFront {
				frontDoor[path] = append(frontDoor[path], m)
			}
			if onMetrics {
				metricsListener[path] = append(metricsListener[path], m)
			}
		}
	}
	return frontDoor, metricsListener
}

func loadOpenAPI(t *testing.T) openAPI {
	t.Helper()
	var d openAPI
	if err := yaml.Unmarshal(readRepoFile(t, "api/openapi.yaml"), &d); err != nil {
		t.Fatalf("parse api/openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.") {
		t.Fatalf("openapi: got %q, want 3.x", d.OpenAPI)
	}
	return d
}

// frontDoorRouter is the starter's router with everything switched on (admin page, codec), built
// by the same function the starter uses. Building it dials nothing.
func frontDoorRouter(t *testing.T) chi.Routes {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"ASSESSBRIDGE_STORE_DSN":                filepath.Join(t.TempDir(), "s.db"),
		"ASSESSBRIDGE_SECRET_KEY":               base64.StdEncoding.EncodeToString(key),
		"ASSESSBRIDGE_PLATFORM_URL":             "http://127.0.0.1:1",
		"ASSESSBRIDGE_PLATFORM_API_KEY":         "k",
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": "s",
		"ASSESSBRIDGE_ADMIN_PASSWORD":           "p",
		"ASSESSBRIDGE_HISTORY_KEYS":             "k1:" + base64.StdEncoding.EncodeToString(key),
		"ASSESSBRIDGE_CODEC_TOKEN":              "t",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	st, err := service.OpenStore(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	h, err := service.NewHandler(tc, st, cfg, zap.NewNop(), service.WithMetrics(metrics.New()))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("front door handler: got %T, want a chi router", h)
	}
	return r
}

var pathParam = regexp.MustCompile(`\{[^}/]+\}`)

// TestOpenAPIMatchesRoutes: every operation in api/openapi.yaml is routed by the listener it is
// documented on, and every route of the front door (bar the HTML admin page) and of the metrics
// listener is documented.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	frontDoc, metricsDoc := doc.operations()
	listeners := []struct {
		name   string
		router chi.Routes
		doc    map[string][]string
	}{
		{"front door", frontDoorRouter(t), frontDoc},
		{"metrics listener", metrics.New().Routes().(chi.Routes), metricsDoc},
	}
	for _, l := range listeners {
		if len(l.doc) == 0 {
			t.Errorf("%s: no operations documented", l.name)
		}
		for path, methods := range l.doc {
			concrete := pathParam.ReplaceAllString(path, "x")
			for _, m := range methods {
				if !l.router.Match(chi.NewRouteContext(), m, concrete) {
					t.Errorf("%s: documented %s %s, but the router has no such route", l.name, m, path)
				}
			}
		}
		walked := 0
		err := chi.Walk(l.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			walked++
			route = strings.TrimSuffix(route, "/") // chi.Walk reports a mounted router's root with a slash
			switch {
			case route == "/admin" || strings.HasPrefix(route, "/admin/"):
				return nil // the HTML admin page, not an API
			case strings.HasSuffix(route, "/*"):
				// A mounted handler (the codec): its documented paths are checked above.
				prefix := strings.TrimSuffix(route, "*")
				if !slices.ContainsFunc(slices.Collect(maps.Keys(l.doc)), func(p string) bool { return strings.HasPrefix(p, prefix) }) {
					t.Errorf("%s: route %s is not documented", l.name, route)
				}
			case !slices.Contains(l.doc[route], method):
				t.Errorf("%s: route %s %s is not documented", l.name, method, route)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if walked == 0 {
			t.Errorf("%s: walked no routes", l.name)
		}
	}
}

// TestOpenAPIReferencesResolve: operation ids are unique, every operation documents its answers,
// and every $ref names a component that exists.
func TestOpenAPIReferencesResolve(t *testing.T) {
	doc := loadOpenAPI(t)
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, op := range item {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			o, _ := op.(map[string]any)
			id, _ := o["operationId"].(string)
			if id == "" {
				t.Errorf("%s %s: no operationId", method, path)
			} else if other, dup := ids[id]; dup {
				t.Errorf("operationId %s: used by %s and %s %s", id, other, method, path)
			}
			ids[id] = method + " " + path
			if r, _ := o["responses"].(map[string]any); len(r) == 0 {
				t.Errorf("%s %s: no responses", method, path)
			}
		}
	}
	raw := string(readRepoFile(t, "api/openapi.yaml"))
	for _, m := range regexp.MustCompile(`\$ref: "#/components/(\w+)/(\w+)"`).FindAllStringSubmatch(raw, -1) {
		if _, ok := doc.Components[m[1]][m[2]]; !ok {
			t.Errorf("$ref %s/%s: no such component", m[1], m[2])
		}
	}
}
