package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// secretAccount holds distinctive secrets that are easy to find in raw bytes.
func secretAccount(id string) Account {
	return Account{
		ID:            id,
		Name:          "Plainly Visible Name " + id,
		Status:        StatusConnected,
		AccessToken:   "ACCESS-TOKEN-PLAINTEXT-" + id,
		RefreshToken:  "REFRESH-TOKEN-PLAINTEXT-" + id,
		APIKey:        "API-KEY-PLAINTEXT-" + id,
		WebhookTokens: []string{"WEBHOOK-TOKEN-PLAINTEXT-" + id},
		TokenExpiry:   time.UnixMilli(1_900_000_000_000),
	}
}

func (a Account) secrets() []string {
	return append([]string{a.AccessToken, a.RefreshToken, a.APIKey}, a.WebhookTokens...)
}

// readSQLiteFiles returns the database file with its -wal and -shm companions.
func readSQLiteFiles(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatalf("read %s: %v", path+suffix, err)
		}
		all = append(all, b...)
	}
	return all
}

func TestSQLiteFileHoldsNoPlaintextSecrets(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, "sqlite:"+path, testKey())
	mustDo(t, "Open", err)
	a := secretAccount("acme")
	mustDo(t, "PutAccount", s.PutAccount(ctx, a))
	rotated := "ROTATED-ACCESS-PLAINTEXT"
	mustDo(t, "SaveTokens", s.SaveTokens(ctx, "acme", rotated, "ROTATED-REFRESH-PLAINTEXT", time.Now()))
	secrets := append(a.secrets(), rotated, "ROTATED-REFRESH-PLAINTEXT")

	check := func(stage string) {
		raw := readSQLiteFiles(t, path)
		// The search must be able to see data at all: the unencrypted name is there.
		if !bytes.Contains(raw, []byte(a.Name)) {
			t.Fatalf("%s: got no account name in the file bytes, want it (the search is blind otherwise)", stage)
		}
		for _, secret := range secrets {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s: got plaintext secret %q in the database files, want only ciphertext", stage, secret)
			}
		}
	}
	check("while open") // recent writes live in the -wal file
	mustDo(t, "Close", s.Close())
	check("after close") // the WAL is checkpointed into the main file
}

func TestSecretColumnsAreCiphertext(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := secretAccount("acme")
		mustDo(t, "PutAccount", s.PutAccount(ctx, a))
		var access, refresh, apiKey, hooks string
		err := s.db.QueryRowContext(ctx, s.q(`SELECT access_token, refresh_token, api_key, webhook_tokens
			FROM accounts WHERE id = ?`), "acme").Scan(&access, &refresh, &apiKey, &hooks)
		mustDo(t, "raw select", err)
		for _, col := range []string{access, refresh, apiKey, hooks} {
			if !strings.HasPrefix(col, "v1:") {
				t.Errorf("stored secret column: got %q, want a v1: ciphertext", col)
			}
			for _, secret := range a.secrets() {
				if strings.Contains(col, secret) {
					t.Errorf("stored secret column: got plaintext %q in it, want ciphertext", secret)
				}
			}
		}
	})
}

func TestWrongKeyCannotRead(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := Open(ctx, dsn, testKey())
		mustDo(t, "Open", err)
		a := secretAccount("acme")
		mustDo(t, "PutAccount", s.PutAccount(ctx, a))
		mustDo(t, "Close", s.Close())

		wrong := openStore(t, dsn, otherKey())
		_, errOne := wrong.Account(ctx, "acme")
		_, errAll := wrong.Accounts(ctx)
		for name, err := range map[string]error{"Account": errOne, "Accounts": errAll} {
			if err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("%s with wrong key: got error %v, want a decryption error", name, err)
				continue
			}
			for _, secret := range a.secrets() {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s error: got %q, want no secret in it", name, err)
				}
			}
		}
	})
}

func TestMovedCiphertextFails(t *testing.T) {
	tests := []struct {
		name    string
		update  string // raw SQL that moves ciphertext around
		account string // account read afterwards
	}{
		{"access token to another account", `UPDATE accounts SET access_token = (SELECT access_token FROM accounts WHERE id = 'acme') WHERE id = 'other'`, "other"},
		{"api key to another account", `UPDATE accounts SET api_key = (SELECT api_key FROM accounts WHERE id = 'acme') WHERE id = 'other'`, "other"},
		{"webhook tokens to another account", `UPDATE accounts SET webhook_tokens = (SELECT webhook_tokens FROM accounts WHERE id = 'acme') WHERE id = 'other'`, "other"},
		{"access and refresh swapped", `UPDATE accounts SET access_token = refresh_token, refresh_token = access_token WHERE id = 'acme'`, "acme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				mustDo(t, "PutAccount", s.PutAccount(ctx, secretAccount("acme")))
				mustDo(t, "PutAccount", s.PutAccount(ctx, secretAccount("other")))
				if _, err := s.db.ExecContext(ctx, tt.update); err != nil {
					t.Fatalf("move ciphertext: %v", err)
				}
				if got, err := s.Account(ctx, tt.account); err == nil {
					t.Errorf("Account(%q) after move: got access %q, nil error, want a decryption error", tt.account, got.AccessToken)
				}
			})
		})
	}
}
