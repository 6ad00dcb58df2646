package store

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestEveryWritePathKeepsSecretsOffDisk extends TestSQLiteFileHoldsNoPlaintextSecrets to every
// way a secret reaches the database: the OAuth refresh (UpdateTokens), settings saves under the
// row lock (UpdateAccount: API key, webhook token rotation), reconnects and deletes. The raw
// SQLite files, WAL included, must never hold one of them in plaintext.
func TestEveryWritePathKeepsSecretsOffDisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, "sqlite:"+path, testKey())
	mustDo(t, "Open", err)
	var secrets []string
	var lastAPIKey string
	secret := func(kind string, i int) string {
		v := fmt.Sprintf("PLAINTEXT-%s-%d-a8f3c9e1", kind, i)
		secrets = append(secrets, v)
		return v
	}
	a := secretAccount("acme")
	secrets = append(secrets, a.secrets()...)
	mustDo(t, "PutAccount", s.PutAccount(ctx, a))
	mustDo(t, "PutAccount", s.PutAccount(ctx, secretAccount("doomed")))
	secrets = append(secrets, secretAccount("doomed").secrets()...)

	writes := []struct {
		name string
		do   func(i int) error
	}{
		{"UpdateTokens (refresh)", func(i int) error {
			_, err := s.UpdateTokens(ctx, "acme", func(Tokens) (Tokens, bool, error) {
				return Tokens{Access: secret("access", i), Refresh: secret("refresh", i), Expiry: time.Now().Add(time.Hour)}, true, nil
			})
			return err
		}},
		{"UpdateAccount (API key, webhook tokens)", func(i int) error {
			return s.UpdateAccount(ctx, "acme", func(a *Account) error {
				a.APIKey = secret("apikey", i)
				lastAPIKey = a.APIKey
				a.WebhookTokens = append(a.WebhookTokens, secret("webhook", i))
				return nil
			})
		}},
		{"SaveTokens (connect)", func(i int) error {
			return s.SaveTokens(ctx, "acme", secret("connect-access", i), secret("connect-refresh", i), time.Now())
		}},
		{"PutAccount (reconnect)", func(i int) error {
			b, err := s.Account(ctx, "acme")
			if err != nil {
				return err
			}
			b.AccessToken, b.RefreshToken = secret("put-access", i), secret("put-refresh", i)
			return s.PutAccount(ctx, b)
		}},
	}
	check := func(stage string) {
		t.Helper()
		raw := readSQLiteFiles(t, path)
		if !bytes.Contains(raw, []byte(a.Name)) {
			t.Fatalf("%s: got no account name in the file bytes, want it (the search is blind otherwise)", stage)
		}
		for _, v := range secrets {
			if bytes.Contains(raw, []byte(v)) {
				t.Errorf("%s: got plaintext secret %q in the database files, want only ciphertext", stage, v)
			}
		}
	}
	for i := range 3 {
		for _, w := range writes {
			mustDo(t, w.name, w.do(i))
			check(fmt.Sprintf("after %s, round %d", w.name, i))
		}
	}
	mustDo(t, "DeleteAccount", s.DeleteAccount(ctx, "doomed"))
	check("after a delete")
	got, err := s.Account(ctx, "acme")
	mustDo(t, "Account", err)
	if got.APIKey != lastAPIKey || len(got.WebhookTokens) != len(a.WebhookTokens)+3 {
		// Reading the secrets back proves the writes happened and the search had something to miss.
		t.Errorf("read back: got API key %q and %d webhook tokens, want %q and %d", got.APIKey, len(got.WebhookTokens), lastAPIKey, len(a.WebhookTokens)+3)
	}
	mustDo(t, "Close", s.Close())
	check("after close")
}
