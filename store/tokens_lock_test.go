package store

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUpdateTokensTakesTurns holds a first UpdateTokens inside fn while a second one starts,
// once from one Store and once from two (two processes): the second must wait for the lock
// and see what the first saved.
func TestUpdateTokensTakesTurns(t *testing.T) {
	for _, handles := range []int{1, 2} {
		name := map[int]string{1: "one store two goroutines", 2: "two stores"}[handles]
		t.Run(name, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, dsn string) {
				first, second, waiting := lockContenders(t, dsn, handles)
				takeTurns(t, first, second, waiting)
			})
		})
	}
}

// lockContenders opens the stores and returns a probe reporting whether second is waiting
// for the lock, or nil where that cannot be observed (SQLite across handles: the wait is in
// SQLite's busy handler).
func lockContenders(t *testing.T, dsn string, handles int) (first, second *Store, waiting func() bool) {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres") {
		first = openStore(t, dsn, testKey())
		if handles == 1 {
			before := first.db.Stats().WaitCount
			// The second goroutine waits for the store's single SQLite connection.
			return first, first, func() bool { return first.db.Stats().WaitCount > before }
		}
		return first, openStore(t, dsn, testKey()), nil
	}
	// application_name marks the second store's sessions so pg_stat_activity can tell
	// when one of them waits for a lock.
	u, err := url.Parse(dsn)
	mustDo(t, "parse dsn", err)
	q := u.Query()
	q.Set("application_name", "update_tokens_second")
	u.RawQuery = q.Encode()
	second = openStore(t, u.String(), testKey())
	first = second
	if handles == 2 {
		first = openStore(t, dsn, testKey())
	}
	observer, err := sql.Open("pgx", dsn)
	mustDo(t, "open observer", err)
	t.Cleanup(func() { observer.Close() })
	return first, second, func() bool {
		var n int
		err := observer.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'update_tokens_second' AND wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n)
		if err != nil {
			t.Errorf("pg_stat_activity: %v", err)
			return true
		}
		return n > 0
	}
}

type updateResult struct {
	tokens Tokens
	err    error
}

func takeTurns(t *testing.T, first, second *Store, waiting func() bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	initial := tokensOf(fullAccount("acme"))
	mustDo(t, "PutAccount", first.PutAccount(ctx, fullAccount("acme")))
	firstNext := Tokens{Access: "access-1", Refresh: "refresh-1", Expiry: time.UnixMilli(1_950_000_000_000).UTC()}
	secondNext := Tokens{Access: "access-2", Refresh: "refresh-2", Expiry: time.UnixMilli(2_000_000_000_000).UTC()}

	firstIn, release := make(chan Tokens, 1), make(chan struct{})
	firstDone := make(chan updateResult, 1)
	go func() {
		tok, err := first.UpdateTokens(ctx, "acme", func(cur Tokens) (Tokens, bool, error) {
			firstIn <- cur
			<-release
			return firstNext, true, nil
		})
		firstDone <- updateResult{tok, err}
	}()
	var firstSaw Tokens
	select {
	case firstSaw = <-firstIn:
	case r := <-firstDone:
		t.Fatalf("first UpdateTokens: returned %v before calling fn, want fn called", r.err)
	case <-ctx.Done():
		t.Fatal("first UpdateTokens: fn not called within 20 s")
	}

	secondIn := make(chan Tokens, 1)
	secondDone := make(chan updateResult, 1)
	go func() {
		tok, err := second.UpdateTokens(ctx, "acme", func(cur Tokens) (Tokens, bool, error) {
			secondIn <- cur
			return secondNext, true, nil
		})
		secondDone <- updateResult{tok, err}
	}()
	secondWaits(t, ctx, secondIn, waiting)
	close(release)

	r1 := <-firstDone
	mustDo(t, "first UpdateTokens", r1.err)
	r2 := <-secondDone
	mustDo(t, "second UpdateTokens", r2.err)
	if !sameTokens(firstSaw, initial) {
		t.Errorf("first fn's cur: got %s, want %s", showTokens(firstSaw), showTokens(initial))
	}
	if secondSaw := <-secondIn; !sameTokens(secondSaw, firstNext) {
		t.Errorf("second fn's cur: got %s, want the first's save %s", showTokens(secondSaw), showTokens(firstNext))
	}
	a, err := first.Account(ctx, "acme")
	mustDo(t, "Account", err)
	if !sameTokens(tokensOf(a), secondNext) {
		t.Errorf("stored tokens: got %s, want %s", showTokens(tokensOf(a)), showTokens(secondNext))
	}
}

// secondWaits returns once the second caller is seen waiting for the lock (or, with no
// probe, after a grace period), failing the test when its fn runs meanwhile. A correct lock
// always passes; the grace period only limits how surely a broken one is caught.
func secondWaits(t *testing.T, ctx context.Context, secondIn chan Tokens, waiting func() bool) {
	t.Helper()
	ran := func() bool {
		select {
		case cur := <-secondIn:
			secondIn <- cur // kept for the caller's check
			t.Errorf("second UpdateTokens: got fn called while the first held the lock, want it to wait")
			return true
		default:
			return false
		}
	}
	grace := time.NewTimer(300 * time.Millisecond)
	defer grace.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if ran() || (waiting != nil && waiting()) {
			return
		}
		select {
		case <-ctx.Done():
			t.Errorf("second UpdateTokens: got no wait for the lock within the deadline, want one")
			return
		case <-grace.C:
			if waiting == nil {
				return
			}
		case <-tick.C:
		}
	}
}

// TestUpdateTokensOutwaitsBusyTimeout: on SQLite a second process waits for the lock even
// when the first holds it longer than busy_timeout (a slow refresh at Lever).
func TestUpdateTokensOutwaitsBusyTimeout(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "store.db") + "?_pragma=busy_timeout(20)"
	first, second := openStore(t, dsn, testKey()), openStore(t, dsn, testKey())
	putAccount(t, first, "acme")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	in, firstDone := make(chan struct{}), make(chan error, 1)
	saved := Tokens{Access: "access-1", Refresh: "refresh-1"}
	go func() {
		_, err := first.UpdateTokens(ctx, "acme", func(Tokens) (Tokens, bool, error) {
			close(in)
			// Ten busy timeouts; the second caller must keep waiting, however long this takes.
			time.Sleep(200 * time.Millisecond)
			return saved, true, nil
		})
		firstDone <- err
	}()
	<-in
	got, err := second.UpdateTokens(ctx, "acme", func(cur Tokens) (Tokens, bool, error) { return cur, false, nil })
	mustDo(t, "second UpdateTokens", err)
	mustDo(t, "first UpdateTokens", <-firstDone)
	if !sameTokens(got, saved) {
		t.Errorf("second UpdateTokens: got %s, want the first's save %s", showTokens(got), showTokens(saved))
	}
}
