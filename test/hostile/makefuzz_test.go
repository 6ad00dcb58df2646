package hostile_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the module's root, seen from this package (test/hostile).
const root = "../.."

var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)

// TestMakeFuzzRunsEveryTarget: `make fuzz` names every fuzz target of the module, each in its
// own package, so a new one is not left to its seeds alone.
func TestMakeFuzzRunsEveryTarget(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	recipe := fuzzRecipe(string(makefile))
	if len(recipe) == 0 {
		t.Fatal("Makefile has no fuzz target with commands")
	}
	found := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pkg := "./" + filepath.ToSlash(filepath.Dir(strings.TrimPrefix(filepath.ToSlash(path), root+"/")))
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(src), -1) {
			found++
			if !runsTarget(recipe, pkg, m[1]) {
				t.Errorf("make fuzz does not run %s in %s: add `$(GO) test %s -run '^$$' -fuzz '^%s$$' -fuzztime $(FUZZTIME)`",
					m[1], pkg, pkg, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 4 {
		t.Errorf("found %d fuzz targets in the module, want at least the four known ones", found)
	}
}

// fuzzRecipe returns the command lines of the Makefile's fuzz target.
func fuzzRecipe(makefile string) []string {
	var lines []string
	in := false
	for line := range strings.SplitSeq(makefile, "\n") {
		switch {
		case strings.HasPrefix(line, "fuzz:"):
			in = true
		case in && strings.HasPrefix(line, "\t"):
			lines = append(lines, line)
		case in:
			return lines
		}
	}
	return lines
}

// runsTarget tells whether a recipe line fuzzes exactly target in pkg.
func runsTarget(recipe []string, pkg, target string) bool {
	for _, line := range recipe {
		fields := strings.Fields(line)
		hasPkg, hasTarget := false, false
		for i, f := range fields {
			hasPkg = hasPkg || f == pkg
			if f == "-fuzz" && i+1 < len(fields) {
				hasTarget = strings.Trim(fields[i+1], `'"`) == "^"+target+"$$"
			}
		}
		if hasPkg && hasTarget {
			return true
		}
	}
	return false
}
