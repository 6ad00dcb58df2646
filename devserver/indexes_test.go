package devserver

import (
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	_ "modernc.org/sqlite"
)

// TestVisibilityIndexes: a new file keeps the listing and Keyword indexes and loses those no
// list here uses; an Int attribute given at a later start gets its indexes back, and taking it
// away drops them again.
func TestVisibilityIndexes(t *testing.T) {
	dir := t.TempDir()
	keyword := map[string]enumspb.IndexedValueType{"DevserverStatus": enumspb.INDEXED_VALUE_TYPE_KEYWORD}
	withInt := map[string]enumspb.IndexedValueType{"DevserverStatus": enumspb.INDEXED_VALUE_TYPE_KEYWORD, "DevserverScore": enumspb.INDEXED_VALUE_TYPE_INT}
	for _, step := range []struct {
		name      string
		attrs     map[string]enumspb.IndexedValueType
		have, not []string
	}{
		{"new file", keyword,
			[]string{"default_idx", "by_status", "by_workflow_id", "by_workflow_type", "by_temporal_namespace_division", "by_keyword_01", "by_keyword_10"},
			[]string{"by_history_length", "by_int_01", "by_bool_01", "by_temporal_keyword_01", "by_root_run_id"}},
		{"int attribute added", withInt, []string{"default_idx", "by_keyword_01", "by_int_01", "by_int_03"}, []string{"by_bool_01", "by_history_length"}},
		{"int attribute gone", keyword, []string{"default_idx", "by_keyword_01"}, []string{"by_int_01"}},
	} {
		cfg, err := openDatabase(dir, clusterName, "default", step.attrs)
		if err != nil {
			t.Fatalf("%s: open: %v", step.name, err)
		}
		got := indexes(t, cfg.DatabaseName)
		for _, name := range step.have {
			if !slices.Contains(got, name) {
				t.Errorf("%s: index %s missing; have %v", step.name, name, got)
			}
		}
		for _, name := range step.not {
			if slices.Contains(got, name) {
				t.Errorf("%s: index %s still there", step.name, name)
			}
		}
	}
}

func indexes(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions_visibility'")
	if err != nil {
		t.Fatalf("list indexes: %v", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}
