package temporalpg

import "testing"

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int // sign
	}{
		{"1.9", "1.10", -1},
		{"1.10", "1.9", 1},
		{"1.2", "1.2", 0},
		{"1.2", "1.2.0", 0},
		{"2.0", "1.15", 1},
	} {
		got := compareVersions(c.a, c.b)
		if sign(got) != c.want {
			t.Errorf("compareVersions(%s, %s) = %d, want sign %d", c.a, c.b, got, c.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// The plugin puts names into CREATE and DROP DATABASE as they are: anything else than a plain
// identifier is refused before any connection.
func TestDatabaseNamesRefused(t *testing.T) {
	for _, name := range []string{"", "Abtpg", "abtpg; drop database x", `abtpg"x`, "1abtpg"} {
		if err := DropDatabases("postgres://nobody@127.0.0.1:1/none", name); err == nil {
			t.Errorf("DropDatabases(%q): no error", name)
		}
	}
}
