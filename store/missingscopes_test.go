package store

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestMissingScopes(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustDo(t, "PutAccount", s.PutAccount(ctx, Account{ID: "acme", Name: "Acme"}))
		mustDo(t, "PutAccount", s.PutAccount(ctx, Account{ID: "other", Name: "Other"}))
		for _, scope := range []string{"files:write:admin", "archive_reasons:read:admin", "files:write:admin"} {
			mustDo(t, "AddMissingScope", s.AddMissingScope(ctx, "acme", scope))
		}
		mustDo(t, "AddMissingScope", s.AddMissingScope(ctx, "other", "users:read:admin"))
		got, err := s.MissingScopes(ctx, "acme")
		mustDo(t, "MissingScopes", err)
		if want := []string{"archive_reasons:read:admin", "files:write:admin"}; !slices.Equal(got, want) {
			t.Errorf("MissingScopes: got %q, want %q (sorted, once each)", got, want)
		}
		if err := s.AddMissingScope(ctx, "nobody", "files:write:admin"); !errors.Is(err, ErrNotFound) {
			t.Errorf("AddMissingScope of an unknown account: got %v, want ErrNotFound", err)
		}

		mustDo(t, "ClearMissingScopes", s.ClearMissingScopes(ctx, "acme"))
		if got, _ := s.MissingScopes(ctx, "acme"); len(got) != 0 {
			t.Errorf("MissingScopes after Clear: got %q, want none", got)
		}
		if got, _ := s.MissingScopes(ctx, "other"); !slices.Equal(got, []string{"users:read:admin"}) {
			t.Errorf("other account's scopes after clearing acme's: got %q, want them kept", got)
		}
		mustDo(t, "DeleteAccount", s.DeleteAccount(ctx, "other"))
		if got, _ := s.MissingScopes(ctx, "other"); len(got) != 0 {
			t.Errorf("MissingScopes of a deleted account: got %q, want none", got)
		}
	})
}
