package deploy

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/assessbridge/assessbridge/config"
	"github.com/assessbridge/assessbridge/workflows"
)

type compose struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
		Target     string `yaml:"target"`
	} `yaml:"build"`
	Environment   map[string]string `yaml:"environment"`
	Ports         []string          `yaml:"ports"`
	Volumes       []string          `yaml:"volumes"`
	Entrypoint    []string          `yaml:"entrypoint"`
	Restart       string            `yaml:"restart"`
	ContainerName string            `yaml:"container_name"`
	Hostname      string            `yaml:"hostname"`
	DependsOn     map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

// oneShot: a service that runs to completion at every `up` (setup jobs).
func (s composeService) oneShot() bool { return strings.HasPrefix(s.Restart, "on-failure") }

func loadCompose(t *testing.T) compose {
	t.Helper()
	var c compose
	if err := yaml.Unmarshal(readRepoFile(t, "docker-compose.yml"), &c); err != nil {
		t.Fatalf("parse docker-compose.yml: %v", err)
	}
	if len(c.Services) == 0 {
		t.Fatal("docker-compose.yml: no services")
	}
	return c
}

// appServices are the services running our binaries, each the Dockerfile target of its name.
var appServices = []string{"worker", "starter"}

// devOnly are variables only the embedded dev stack reads.
var devOnly = []string{"ASSESSBRIDGE_DATA_DIR", "ASSESSBRIDGE_UI_PORT", "ASSESSBRIDGE_TEMPORAL_PORT"}

// TestComposeServicesMatchDocs: the services docs/production.md names (its table, which the README
// links) are exactly the compose file's.
func TestComposeServicesMatchDocs(t *testing.T) {
	c := loadCompose(t)
	row := regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|")
	var documented []string
	for _, m := range row.FindAllStringSubmatch(string(readRepoFile(t, "docs/production.md")), -1) {
		documented = append(documented, m[1])
	}
	if len(documented) == 0 {
		t.Fatal("docs/production.md: no service table")
	}
	for _, name := range documented {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("docs/production.md names service %q; docker-compose.yml has none", name)
		}
	}
	for name := range c.Services {
		if !slices.Contains(documented, name) {
			t.Errorf("docker-compose.yml has service %q; docs/production.md does not name it", name)
		}
	}
}

// TestComposeEnvironment: the worker and the starter get only variables the config package reads
// (none of dev's own), every variable their checks require is set so that compose refuses to
// start without it, and with .env.example's values filled in the configuration loads and passes
// the checks.
func TestComposeEnvironment(t *testing.T) {
	c := loadCompose(t)
	example := envExample(t)
	// .env.example leaves secrets empty; give them well-formed values.
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for k, v := range example {
		vars[k] = v
	}
	for k, v := range map[string]string{
		"ASSESSBRIDGE_SECRET_KEY": base64.StdEncoding.EncodeToString(key), "ASSESSBRIDGE_PLATFORM_API_KEY": "k",
		"ASSESSBRIDGE_PLATFORM_CALLBACK_SECRET": "s", "POSTGRES_PASSWORD": "pw",
	} {
		vars[k] = v
	}
	empty, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]func(config.Config) error{"worker": config.Config.CheckWorker, "starter": config.Config.CheckStarter}

	for _, name := range appServices {
		svc := c.Services[name]
		if len(svc.Environment) == 0 {
			t.Errorf("%s: no environment", name)
			continue
		}
		resolved := map[string]string{}
		for k, raw := range svc.Environment {
			if !slices.Contains(config.Vars, k) {
				t.Errorf("%s: %s is not a variable the config package reads", name, k)
			}
			if slices.Contains(devOnly, k) {
				t.Errorf("%s: %s is read by the dev stack only", name, k)
			}
			v, err := interpolate(raw, vars)
			if err != nil {
				t.Errorf("%s: %s: %v", name, k, err)
			}
			resolved[k] = v
		}
		for _, req := range regexp.MustCompile(`ASSESSBRIDGE_[A-Z_]+`).FindAllString(fmt.Sprint(checks[name](empty)), -1) {
			if raw := svc.Environment[req]; !strings.HasPrefix(raw, "${"+req+":?") {
				t.Errorf("%s: required %s is %q, want ${%s:?…} so compose refuses to start without it", name, req, raw, req)
			}
		}
		cfg, err := config.Load(func(k string) string { return resolved[k] })
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := checks[name](cfg); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		// The services it talks to are the compose ones.
		if host, port, _ := net.SplitHostPort(cfg.TemporalAddress); host != "temporal" || !slices.Contains(containerPorts(c.Services["temporal"]), port) {
			t.Errorf("%s: temporal address %s, want the temporal service on a port it publishes", name, cfg.TemporalAddress)
		}
		if u, err := url.Parse(cfg.StoreDSN); err != nil || u.Scheme != "postgres" || u.Hostname() != "postgresql" {
			t.Errorf("%s: store is not the postgresql service", name)
		}
		if cfg.MetricsAddr == "" {
			t.Errorf("%s: ASSESSBRIDGE_METRICS_ADDR unset: no /metrics", name)
		}
	}
}

// TestComposePortsAndHealth: published ports reach what listens behind them, health checks call
// commands the images have, every dependency waits on something that can report it, and the
// worker can be scaled (no fixed name, no host port).
func TestComposePortsAndHealth(t *testing.T) {
	c := loadCompose(t)
	vars := envExample(t)
	starter := c.Services["starter"]
	_, httpPort, err := net.SplitHostPort(starter.Environment["ASSESSBRIDGE_HTTP_ADDR"])
	if err != nil || !slices.Contains(containerPorts(starter), httpPort) {
		t.Errorf("starter: listens on %q, publishes container ports %v", starter.Environment["ASSESSBRIDGE_HTTP_ADDR"], containerPorts(starter))
	}
	if got := containerPorts(c.Services["temporal-ui"]); !slices.Equal(got, []string{"8080"}) {
		t.Errorf("temporal-ui: publishes container ports %v, want [8080] (the UI image's port)", got)
	}
	if got := containerPorts(c.Services["temporal"]); !slices.Equal(got, []string{"7233"}) {
		t.Errorf("temporal: publishes container ports %v, want [7233]", got)
	}
	if hc := c.Services["temporal"].Healthcheck; hc == nil || !slices.Contains(hc.Test, "7233") {
		t.Errorf("temporal: health check does not probe 7233")
	}

	worker := c.Services["worker"]
	if worker.ContainerName != "" || worker.Hostname != "" || len(worker.Ports) > 0 {
		t.Errorf("worker: container_name %q, hostname %q, ports %v: replicas of --scale would clash", worker.ContainerName, worker.Hostname, worker.Ports)
	}
	for name, svc := range c.Services {
		if svc.ContainerName != "" {
			t.Errorf("%s: container_name set; two stacks on one host would clash", name)
		}
		for _, p := range svc.Ports {
			if _, err := interpolate(p, vars); err != nil {
				t.Errorf("%s: port %q: %v", name, p, err)
			}
		}
		if !svc.oneShot() && name != "temporal-ui" && svc.Healthcheck == nil {
			t.Errorf("%s: long-running service without a health check", name)
		}
		for dep, d := range svc.DependsOn {
			target, ok := c.Services[dep]
			switch {
			case !ok:
				t.Errorf("%s: depends on unknown service %s", name, dep)
			case d.Condition == "service_healthy" && target.Healthcheck == nil:
				t.Errorf("%s: waits for %s to be healthy, which has no health check", name, dep)
			case d.Condition == "service_completed_successfully" && !target.oneShot():
				t.Errorf("%s: waits for %s to complete, which keeps running", name, dep)
			case d.Condition == "":
				t.Errorf("%s: depends on %s without a condition", name, dep)
			}
		}
	}
	for _, name := range appServices {
		svc := c.Services[name]
		want := []string{"CMD", binaryPath(name), "healthcheck"}
		if svc.Healthcheck == nil || !slices.Equal(svc.Healthcheck.Test, want) {
			t.Errorf("%s: health check %v, want %q", name, svc.Healthcheck, want)
		}
		for _, dep := range []string{"postgresql", "temporal", "temporal-namespace"} {
			if _, ok := svc.DependsOn[dep]; !ok {
				t.Errorf("%s: does not wait for %s", name, dep)
			}
		}
	}
}

// TestComposeBuildAndMounts: the app images build from targets the Dockerfile has, and every
// file mounted into a container exists.
func TestComposeBuildAndMounts(t *testing.T) {
	c := loadCompose(t)
	stages := dockerfileStages(t)
	for _, name := range appServices {
		b := c.Services[name].Build
		if b == nil {
			t.Errorf("%s: no build section", name)
			continue
		}
		if st, err := os.Stat(repoFile(b.Context)); err != nil || !st.IsDir() {
			t.Errorf("%s: build context %q is not a directory", name, b.Context)
		}
		if _, err := os.Stat(repoFile(filepath.Join(b.Context, b.Dockerfile))); err != nil {
			t.Errorf("%s: dockerfile %q: %v", name, b.Dockerfile, err)
		}
		if b.Target != name || !slices.Contains(stages, b.Target) {
			t.Errorf("%s: build target %q, want the Dockerfile stage %q (stages %v)", name, b.Target, name, stages)
		}
	}
	for name, svc := range c.Services {
		mounts := map[string]string{}
		for _, v := range svc.Volumes {
			src, dst, _ := strings.Cut(v, ":")
			dst, _, _ = strings.Cut(dst, ":")
			if !strings.HasPrefix(src, ".") {
				if _, ok := c.Volumes[src]; !ok {
					t.Errorf("%s: named volume %q is not declared", name, src)
				}
				continue
			}
			if _, err := os.Stat(repoFile(src)); err != nil {
				t.Errorf("%s: mounts %s: %v", name, src, err)
			}
			mounts[dst] = src
		}
		// Entrypoint scripts come from a mounted directory of the repository.
		for _, arg := range svc.Entrypoint {
			for dst, src := range mounts {
				if rest, ok := strings.CutPrefix(arg, dst+"/"); ok {
					if _, err := os.Stat(repoFile(filepath.Join(src, rest))); err != nil {
						t.Errorf("%s: entrypoint %s: %v", name, arg, err)
					}
				}
			}
		}
	}
}

// TestComposeImagesMatchGoMod: the Temporal images run the server and UI versions the tests ran.
func TestComposeImagesMatchGoMod(t *testing.T) {
	c := loadCompose(t)
	example := envExample(t)
	mods := goModVersions(t)
	want := map[string]string{
		"temporalio/server":      mods["go.temporal.io/server"],
		"temporalio/admin-tools": mods["go.temporal.io/server"],
		"temporalio/ui":          mods["github.com/temporalio/ui-server/v2"],
	}
	seen := map[string]bool{}
	for name, svc := range c.Services {
		image, tag, _ := strings.Cut(svc.Image, ":")
		w, ok := want[image]
		if !ok {
			continue
		}
		seen[image] = true
		for _, vars := range []map[string]string{{}, example} { // compose's default, and .env.example's
			got, err := interpolate(tag, vars)
			if err != nil || "v"+got != w {
				t.Errorf("%s: image %s tag %q gives %q, want %s (go.mod)", name, image, tag, got, strings.TrimPrefix(w, "v"))
			}
		}
	}
	for image := range want {
		if !seen[image] {
			t.Errorf("no service runs %s", image)
		}
	}
}

// TestComposeRegistersSearchAttributes: the namespace job registers every search attribute the
// workflow sets, as Keyword.
func TestComposeRegistersSearchAttributes(t *testing.T) {
	script := string(readRepoFile(t, "deploy/compose/create-namespace.sh"))
	if !strings.Contains(script, "--type Keyword") {
		t.Error("create-namespace.sh: search attributes are not created as Keyword")
	}
	for _, name := range workflows.SearchAttributeNames() {
		if !regexp.MustCompile(`\b` + name + `\b`).MatchString(script) {
			t.Errorf("create-namespace.sh does not register %s", name)
		}
	}
}

// TestEnvExample: every variable docker-compose.yml reads is in .env.example with a comment, every
// one there is read, and the ASSESSBRIDGE_ ones are the config package's.
func TestEnvExample(t *testing.T) {
	example := envExample(t)
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{([A-Z0-9_]+)`).FindAllStringSubmatch(string(readRepoFile(t, "docker-compose.yml")), -1) {
		used[m[1]] = true
	}
	for v := range used {
		if _, ok := example[v]; !ok {
			t.Errorf("docker-compose.yml reads %s; .env.example does not document it", v)
		}
	}
	for v := range example {
		if !used[v] {
			t.Errorf(".env.example has %s; docker-compose.yml never reads it", v)
		}
		if strings.HasPrefix(v, "ASSESSBRIDGE_") && !slices.Contains(config.Vars, v) {
			t.Errorf(".env.example: %s is not a variable the config package reads", v)
		}
	}
	lines := strings.Split(string(readRepoFile(t, ".env.example")), "\n")
	for i, l := range lines {
		if name, _, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") && (i == 0 || !strings.HasPrefix(lines[i-1], "#") && !isVarLine(lines[i-1])) {
			t.Errorf(".env.example: %s has no comment above it", name)
		}
	}
}

func isVarLine(l string) bool { return regexp.MustCompile(`^[A-Z0-9_]+=`).MatchString(l) }

// envExample reads .env.example's NAME=value lines.
func envExample(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range strings.Split(string(readRepoFile(t, ".env.example")), "\n") {
		if strings.HasPrefix(l, "#") || !strings.Contains(l, "=") {
			continue
		}
		k, v, _ := strings.Cut(l, "=")
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}

var composeVar = regexp.MustCompile(`\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}`)

// interpolate resolves compose's ${VAR}, ${VAR:-default}, ${VAR:?error} and $$ from vars.
func interpolate(s string, vars map[string]string) (string, error) {
	var err error
	out := composeVar.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		p := composeVar.FindStringSubmatch(m)
		name, op, arg := p[1], p[2], p[3]
		v, set := vars[name]
		switch {
		case op == ":-" && v == "", op == "-" && !set:
			return arg
		case op == ":?" && v == "", op == "?" && !set:
			err = fmt.Errorf("%s is required: %s", name, arg)
		}
		return v
	})
	return out, err
}

// containerPorts are the container side of a service's published ports.
func containerPorts(s composeService) []string {
	var out []string
	for _, p := range s.Ports {
		i := strings.LastIndex(p, ":")
		out = append(out, strings.TrimSuffix(p[i+1:], "/tcp"))
	}
	return out
}

// goModVersions are go.mod's required module versions.
func goModVersions(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range strings.Split(string(readRepoFile(t, "go.mod")), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 2 && f[0] == "go":
			out["go"] = f[1]
		case len(f) >= 2 && strings.Contains(f[0], ".") && strings.HasPrefix(f[1], "v"):
			out[f[0]] = f[1]
		}
	}
	return out
}

// TestComposeUIDecodesForSignedInAdmins: the stock Web UI cannot send the codec token, so it
// sends the browser's cookies to the codec endpoint, and the starter gets what lets a signed-in
// admin's cookie decode (the admin page, the token that turns /codec on, the UI's origins).
func TestComposeUIDecodesForSignedInAdmins(t *testing.T) {
	c := loadCompose(t)
	ui := c.Services["temporal-ui"].Environment
	if got := ui["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"]; got != "true" {
		t.Errorf("temporal-ui: TEMPORAL_CODEC_INCLUDE_CREDENTIALS is %q, want true", got)
	}
	if !strings.HasPrefix(ui["TEMPORAL_CODEC_ENDPOINT"], "${TEMPORAL_CODEC_ENDPOINT") {
		t.Errorf("temporal-ui: TEMPORAL_CODEC_ENDPOINT is %q, want it from .env", ui["TEMPORAL_CODEC_ENDPOINT"])
	}
	starter := c.Services["starter"].Environment
	for _, v := range []string{"ASSESSBRIDGE_ADMIN_PASSWORD", "ASSESSBRIDGE_CODEC_TOKEN", "ASSESSBRIDGE_CODEC_ORIGINS"} {
		if !strings.HasPrefix(starter[v], "${"+v) {
			t.Errorf("starter: %s is %q, want it from .env", v, starter[v])
		}
	}
	doc := string(readRepoFile(t, "docs/production.md"))
	for _, want := range []string{"TEMPORAL_CODEC_INCLUDE_CREDENTIALS", "ASSESSBRIDGE_CODEC_ORIGINS", "same site"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/production.md does not explain %s", want)
		}
	}
}
