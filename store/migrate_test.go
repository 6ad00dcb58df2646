package store

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
)

type appliedMigration struct{ version, appliedAt int64 }

func appliedMigrations(t *testing.T, s *Store) []appliedMigration {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), `SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var got []appliedMigration
	for rows.Next() {
		var m appliedMigration
		if err := rows.Scan(&m.version, &m.appliedAt); err != nil {
			t.Fatalf("scan schema_migrations: %v", err)
		}
		got = append(got, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return got
}

func versions(ms []appliedMigration) []int64 {
	var v []int64
	for _, m := range ms {
		v = append(v, m.version)
	}
	return v
}

func embeddedVersions(t *testing.T) []int64 {
	t.Helper()
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	var v []int64
	for _, m := range ms {
		v = append(v, m.version)
	}
	return v
}

func TestReopenAppliesNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		first, err := Open(ctx, dsn, testKey())
		mustDo(t, "first Open", err)
		putAccount(t, first, "acme")
		before := appliedMigrations(t, first)
		mustDo(t, "Close", first.Close())

		second := openStore(t, dsn, testKey())
		after := appliedMigrations(t, second)
		if want := embeddedVersions(t); !slices.Equal(versions(before), want) {
			t.Errorf("recorded versions: got %v, want %v", versions(before), want)
		}
		if !slices.Equal(after, before) {
			t.Errorf("schema_migrations after reopen: got %v, want unchanged %v", after, before)
		}
		for _, m := range after {
			if m.appliedAt <= 0 {
				t.Errorf("version %d applied_at: got %d, want a unix-ms time", m.version, m.appliedAt)
			}
		}
		if _, err := second.Account(ctx, "acme"); err != nil {
			t.Errorf("Account after reopen: got error %v, want nil", err)
		}
	})
}

func TestMigrateAppliesOnlyNew(t *testing.T) {
	real, err := fs.Sub(migrationFiles, ".")
	if err != nil {
		t.Fatal(err)
	}
	eachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, testKey())
		// The real migrations are applied by Open and not idempotent (plain CREATE TABLE): running
		// one again would fail, so only the new 9001 may run.
		base := versions(appliedMigrations(t, s))
		fsys := fstest.MapFS{"migrations/9001_extra.sql": {Data: []byte(`CREATE TABLE extra (k TEXT NOT NULL PRIMARY KEY);`)}}
		entries, _ := fs.ReadDir(real, "migrations")
		for _, e := range entries {
			b, _ := fs.ReadFile(real, "migrations/"+e.Name())
			fsys["migrations/"+e.Name()] = &fstest.MapFile{Data: b}
		}
		mustDo(t, "migrate with 9001", migrate(ctx, s.db, s.dialect, fsys))
		withExtra := append(slices.Clone(base), 9001)
		if got := versions(appliedMigrations(t, s)); !slices.Equal(got, withExtra) {
			t.Errorf("versions: got %v, want %v", got, withExtra)
		}
		mustDo(t, "migrate again", migrate(ctx, s.db, s.dialect, fsys))

		// A failing migration leaves neither its record nor its partial changes.
		fsys["migrations/9002_broken.sql"] = &fstest.MapFile{Data: []byte(
			"CREATE TABLE half_done (k TEXT);\nTHIS IS NOT SQL;")}
		if err := migrate(ctx, s.db, s.dialect, fsys); err == nil {
			t.Fatalf("migrate with broken 9002: got nil error, want an error")
		}
		if got := versions(appliedMigrations(t, s)); !slices.Equal(got, withExtra) {
			t.Errorf("versions after failure: got %v, want %v", got, withExtra)
		}
		var n int
		err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM half_done`).Scan(&n)
		if err == nil {
			t.Errorf("table from failed migration: got it present, want it rolled back")
		}
	})
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		const starters = 4
		var wg sync.WaitGroup
		errs := make([]error, starters)
		stores := make([]*Store, starters)
		for i := range starters {
			wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn, testKey()) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("starter %d Open: got error %v, want nil", i, err)
				continue
			}
			t.Cleanup(func() { stores[i].Close() })
		}
		if errs[0] != nil {
			return
		}
		if got, want := versions(appliedMigrations(t, stores[0])), embeddedVersions(t); !slices.Equal(got, want) {
			t.Errorf("versions: got %v, want %v", got, want)
		}
	})
}

func TestLoadMigrations(t *testing.T) {
	sqlFile := &fstest.MapFile{Data: []byte("SELECT 1;")}
	tests := []struct {
		name    string
		files   []string
		want    []int64
		wantErr bool
	}{
		{name: "ordered by number, not name", files: []string{"migrations/0010_b.sql", "migrations/0002_a.sql", "migrations/0001_c.sql"}, want: []int64{1, 2, 10}},
		{name: "other extensions ignored", files: []string{"migrations/0001_a.sql", "migrations/README.md"}, want: []int64{1}},
		{name: "no number", files: []string{"migrations/init.sql"}, wantErr: true},
		{name: "no underscore", files: []string{"migrations/0001.sql"}, wantErr: true},
		{name: "zero version", files: []string{"migrations/0000_a.sql"}, wantErr: true},
		{name: "duplicate version", files: []string{"migrations/0001_a.sql", "migrations/1_b.sql"}, wantErr: true},
		{name: "none", files: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = sqlFile
			}
			ms, err := loadMigrations(fsys)
			if (err != nil) != tt.wantErr {
				t.Fatalf("loadMigrations: got error %v, want error %v", err, tt.wantErr)
			}
			var got []int64
			for _, m := range ms {
				got = append(got, m.version)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("versions: got %v, want %v", got, tt.want)
			}
		})
	}
}
