package deploy

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/config"
)

// binaryPath is where a command's image holds it.
func binaryPath(command string) string { return "/usr/local/bin/" + command }

// dockerfileStages are the Dockerfile's named stages (FROM … AS name).
func dockerfileStages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`(?mi)^FROM\s+\S+\s+AS\s+(\S+)`).FindAllStringSubmatch(string(readRepoFile(t, "Dockerfile")), -1) {
		out = append(out, m[1])
	}
	return out
}

// stage returns the Dockerfile's lines of one stage.
func stage(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	in := false
	for _, l := range strings.Split(string(readRepoFile(t, "Dockerfile")), "\n") {
		if f := strings.Fields(l); len(f) >= 4 && strings.EqualFold(f[0], "FROM") {
			in = strings.EqualFold(f[2], "AS") && f[3] == name
			if in {
				out = append(out, l)
			}
			continue
		}
		if in {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		t.Fatalf("Dockerfile: no stage %s", name)
	}
	return out
}

// TestDockerfile: static binaries built with the module's Go version, each command in a stage of
// its name on a minimal base as a non-root user, health-checked by itself, with only variables
// the config package reads.
func TestDockerfile(t *testing.T) {
	df := string(readRepoFile(t, "Dockerfile"))
	if goVersion := goModVersions(t)["go"]; !strings.Contains(df, "ARG GO_VERSION="+goVersion+"\n") {
		t.Errorf("Dockerfile: GO_VERSION is not go.mod's go %s", goVersion)
	}
	build := strings.Join(stage(t, "build"), "\n")
	for _, want := range []string{"CGO_ENABLED=0", "GOTOOLCHAIN=local", "./worker", "./starter"} {
		if !strings.Contains(build, want) {
			t.Errorf("Dockerfile build stage: no %s", want)
		}
	}
	for _, name := range appServices {
		lines := stage(t, name)
		st := strings.Join(lines, "\n")
		checks := []struct{ what, want string }{
			{"minimal base", "distroless/static"},
			{"binary", "COPY --from=build /out/" + name + " " + binaryPath(name)},
			{"non-root user", "USER nonroot"},
			{"entrypoint", `ENTRYPOINT ["` + binaryPath(name) + `"]`},
			{"health check", `CMD ["` + binaryPath(name) + `", "healthcheck"]`},
		}
		for _, c := range checks {
			if !strings.Contains(st, c.want) {
				t.Errorf("Dockerfile stage %s: %s: no %q", name, c.what, c.want)
			}
		}
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "ENV" {
				for _, kv := range f[1:] {
					if k, _, _ := strings.Cut(kv, "="); !slices.Contains(config.Vars, k) {
						t.Errorf("Dockerfile stage %s: ENV %s is not a variable the config package reads", name, k)
					}
				}
			}
		}
	}
}
