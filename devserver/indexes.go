package devserver

import (
	"fmt"
	"maps"
	"slices"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	"go.temporal.io/server/common/resolver"
)

// droppedIndexes are the ones that serve nothing this server is asked for: Temporal's SQLite
// schema indexes every column a list query could filter on (58 indexes), and each one is
// rewritten at every visibility write (a start, a search attribute upsert, a close). Those writes
// were the largest part of the server's CPU in the bench (goal 4). A query on a dropped column
// still works, by a scan. Kept whatever is registered: the default listing (newest first), the
// Web UI's and the CLI's filters (ID, type, status, execution time, task queue), the namespace
// division every list query filters on, and the ten Keyword columns (assessbridge's attributes
// are all Keyword).
var droppedIndexes = []string{
	"by_history_length", "by_history_size_bytes", "by_execution_duration", "by_state_transition_count",
	"by_parent_workflow_id", "by_parent_run_id", "by_root_workflow_id", "by_root_run_id",
	"by_batcher_user", "by_temporal_scheduled_start_time", "by_temporal_scheduled_by_id", "by_temporal_schedule_paused",
	"by_temporal_pause_info", "by_temporal_worker_deployment_version", "by_temporal_workflow_versioning_behavior",
	"by_temporal_worker_deployment",
	"by_temporal_bool_01", "by_temporal_bool_02", "by_temporal_datetime_01", "by_temporal_datetime_02",
	"by_temporal_double_01", "by_temporal_double_02", "by_temporal_int_01", "by_temporal_int_02",
	"by_temporal_keyword_01", "by_temporal_keyword_02", "by_temporal_keyword_03", "by_temporal_keyword_04",
	"by_temporal_low_cardinality_keyword_01",
}

// typedIndexes exist while a search attribute of their type is registered at start: an index
// on the columns of a type nobody uses is dropped, and made again (as Temporal's schema defines
// it) once an attribute of that type is given.
var typedIndexes = map[enumspb.IndexedValueType][]struct{ index, column string }{
	enumspb.INDEXED_VALUE_TYPE_BOOL:     {{"by_bool_01", "Bool01"}, {"by_bool_02", "Bool02"}, {"by_bool_03", "Bool03"}},
	enumspb.INDEXED_VALUE_TYPE_DATETIME: {{"by_datetime_01", "Datetime01"}, {"by_datetime_02", "Datetime02"}, {"by_datetime_03", "Datetime03"}},
	enumspb.INDEXED_VALUE_TYPE_DOUBLE:   {{"by_double_01", "Double01"}, {"by_double_02", "Double02"}, {"by_double_03", "Double03"}},
	enumspb.INDEXED_VALUE_TYPE_INT:      {{"by_int_01", "Int01"}, {"by_int_02", "Int02"}, {"by_int_03", "Int03"}},
}

// indexStatements bring the file's visibility indexes to what searchAttributes need.
func indexStatements(searchAttributes map[string]enumspb.IndexedValueType) []string {
	var stmts []string
	for _, name := range droppedIndexes {
		stmts = append(stmts, "DROP INDEX IF EXISTS "+name)
	}
	registered := map[enumspb.IndexedValueType]bool{}
	for _, t := range searchAttributes {
		registered[t] = true
	}
	types := slices.Sorted(maps.Keys(typedIndexes))
	for _, t := range types {
		for _, ix := range typedIndexes[t] {
			if registered[t] {
				stmts = append(stmts, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON executions_visibility "+
					"(namespace_id, %s, (COALESCE(close_time, '9999-12-31 23:59:59+00:00')) DESC, start_time DESC, run_id)", ix.index, ix.column))
			} else {
				stmts = append(stmts, "DROP INDEX IF EXISTS "+ix.index)
			}
		}
	}
	return stmts
}

// trimVisibilityIndexes keeps only the visibility indexes this server's lists use; run again
// with the same attributes, it changes nothing.
func trimVisibilityIndexes(sqlCfg *config.SQL, searchAttributes map[string]enumspb.IndexedValueType) error {
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, sqlCfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return fmt.Errorf("open %s: %w", sqlCfg.DatabaseName, err)
	}
	defer func() { _ = db.Close() }()
	for _, stmt := range indexStatements(searchAttributes) {
		if err := db.Exec(stmt); err != nil {
			return fmt.Errorf("visibility indexes: %q: %w", stmt, err)
		}
	}
	return nil
}
