package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Account statuses.
const (
	StatusConnected    = "connected"
	StatusDisconnected = "disconnected"
)

// Account is a connected Lever account. The token fields, APIKey and WebhookTokens are
// encrypted at rest; everything else is stored as is.
type Account struct {
	ID            string // Lever account id (our key, e.g. "acme" or Lever's account uuid)
	Name          string
	Status        string // StatusConnected or StatusDisconnected; "" is stored as StatusConnected
	LeverBaseURL  string // "" = default from config
	AccessToken   string
	RefreshToken  string
	TokenExpiry   time.Time
	APIKey        string   // Lever API key (self-hosting) used instead of OAuth
	WebhookTokens []string // signature tokens of this account's Lever webhooks
	TriggerStages []string // Lever stage ids
	PerformAs     string   // Lever user id used for perform_as
	// RemindAfter and ExpireAfter time an invitation (reminder without a start, expiry without
	// a submission); 0 means the defaults.
	RemindAfter time.Duration
	ExpireAfter time.Duration
	// ReinvitePolicy says whether a candidate re-entering a trigger stage after a completed
	// journey is invited again: ReinviteNever ("" too), ReinviteAfter (ReinviteAfter since that
	// journey ended) or ReinviteAlways.
	ReinvitePolicy string
	ReinviteAfter  time.Duration

	// What happens when a candidate submits (issue 11); zero values = off. ValidateCompletion
	// says which combinations make sense.
	CompletionStageID string        // move the candidate to this Lever stage on submission ("" off)
	PassThreshold     *float64      // percent 0–100; set → "<Title> - Passed"/"- Failed" tags (percent >= threshold passes)
	PassStageID       string        // with PassThreshold: stage for a pass (falls back to CompletionStageID)
	FailStageID       string        // with PassThreshold: stage for a fail (falls back to CompletionStageID)
	ArchiveBelow      *float64      // percent 0–100; set → archive candidates scoring below it, after ArchiveGrace
	ArchiveReasonID   string        // Lever archive reason id; required when ArchiveBelow is set
	ArchiveGrace      time.Duration // wait before archiving, recruiters can stop it; 0 = DefaultArchiveGrace (24h)
	UploadReport      bool          // attach the platform's PDF report to the opportunity
	// InviteOnApplication also invites when an application is created for a posting that maps
	// to an assessment.
	InviteOnApplication bool
	// QuietNoAssessment turns off telling recruiters in Lever (a note and the tag
	// "Assessment - Not set") that a candidate entered a trigger stage with no assessment.
	QuietNoAssessment bool

	CreatedAt time.Time
	UpdatedAt time.Time
}

// String redacts secrets so an Account printed by mistake leaks none.
func (a Account) String() string {
	return fmt.Sprintf("store.Account{ID:%q Name:%q Status:%q LeverBaseURL:%q TokenExpiry:%s TriggerStages:%q PerformAs:%q secrets:redacted}",
		a.ID, a.Name, a.Status, a.LeverBaseURL, a.TokenExpiry.Format(time.RFC3339), a.TriggerStages, a.PerformAs)
}

// GoString is String for %#v.
func (a Account) GoString() string { return a.String() }

// Columns that hold encrypted values; each name is part of the value's additional data.
const (
	colAccessToken   = "access_token"
	colRefreshToken  = "refresh_token"
	colAPIKey        = "api_key"
	colWebhookTokens = "webhook_tokens"
)

const accountColumns = `id, name, status, lever_base_url, access_token, refresh_token, token_expiry,
	api_key, webhook_tokens, trigger_stages, perform_as, created_at, updated_at,
	remind_after_ms, expire_after_ms, reinvite_policy, reinvite_after_ms,
	completion_stage_id, pass_threshold, pass_stage_id, fail_stage_id, archive_below, archive_reason_id,
	archive_grace_ms, upload_report, invite_on_application, quiet_no_assessment`

// Re-invite policies.
const (
	ReinviteNever  = "never"
	ReinviteAfterN = "after"
	ReinviteAlways = "always"
)

// PutAccount inserts the account or updates every field of an existing one. CreatedAt is
// kept from the first insert (now when zero); UpdatedAt is always now.
func (s *Store) PutAccount(ctx context.Context, a Account) error {
	if a.ID == "" {
		return errors.New("store: put account: empty id")
	}
	if a.Status == "" {
		a.Status = StatusConnected
	}
	if err := validStatus(a.Status); err != nil {
		return fmt.Errorf("store: put account %q: %w", a.ID, err)
	}
	if err := validPolicy(a.ReinvitePolicy); err != nil {
		return fmt.Errorf("store: put account %q: %w", a.ID, err)
	}
	if err := a.ValidateCompletion(); err != nil {
		return fmt.Errorf("store: put account %q: %w", a.ID, err)
	}
	return s.putAccount(ctx, s.db, a)
}

func validPolicy(p string) error {
	switch p {
	case "", ReinviteNever, ReinviteAfterN, ReinviteAlways:
		return nil
	}
	return fmt.Errorf("invalid re-invite policy %q", p)
}

// putAccount writes every field of a (validated by the caller) through db.
func (s *Store) putAccount(ctx context.Context, db execer, a Account) error {
	now := time.Now()
	if a.ReinvitePolicy == "" {
		a.ReinvitePolicy = ReinviteNever
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	sealed, err := s.sealSecrets(a)
	if err != nil {
		return err
	}
	stages, err := json.Marshal(nonNil(a.TriggerStages))
	if err != nil {
		return fmt.Errorf("store: put account %q: trigger stages: %w", a.ID, err)
	}
	_, err = db.ExecContext(ctx, s.q(`INSERT INTO accounts (`+accountColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			name = excluded.name,
			status = excluded.status,
			lever_base_url = excluded.lever_base_url,
			access_token = excluded.access_token,
			refresh_token = excluded.refresh_token,
			token_expiry = excluded.token_expiry,
			api_key = excluded.api_key,
			webhook_tokens = excluded.webhook_tokens,
			trigger_stages = excluded.trigger_stages,
			perform_as = excluded.perform_as,
			updated_at = excluded.updated_at,
			remind_after_ms = excluded.remind_after_ms,
			expire_after_ms = excluded.expire_after_ms,
			reinvite_policy = excluded.reinvite_policy,
			reinvite_after_ms = excluded.reinvite_after_ms,
			completion_stage_id = excluded.completion_stage_id,
			pass_threshold = excluded.pass_threshold,
			pass_stage_id = excluded.pass_stage_id,
			fail_stage_id = excluded.fail_stage_id,
			archive_below = excluded.archive_below,
			archive_reason_id = excluded.archive_reason_id,
			archive_grace_ms = excluded.archive_grace_ms,
			upload_report = excluded.upload_report,
			invite_on_application = excluded.invite_on_application,
			quiet_no_assessment = excluded.quiet_no_assessment`),
		a.ID, a.Name, a.Status, a.LeverBaseURL, sealed.access, sealed.refresh, toMillis(a.TokenExpiry),
		sealed.apiKey, sealed.webhookTokens, string(stages), a.PerformAs, toMillis(a.CreatedAt), toMillis(now),
		a.RemindAfter.Milliseconds(), a.ExpireAfter.Milliseconds(), a.ReinvitePolicy, a.ReinviteAfter.Milliseconds(),
		a.CompletionStageID, nullFloat(a.PassThreshold), a.PassStageID, a.FailStageID, nullFloat(a.ArchiveBelow),
		a.ArchiveReasonID, a.ArchiveGrace.Milliseconds(), a.UploadReport, a.InviteOnApplication, a.QuietNoAssessment)
	if err != nil {
		return fmt.Errorf("store: put account %q: %w", a.ID, err)
	}
	return nil
}

// Account returns the account with id, or ErrNotFound.
func (s *Store) Account(ctx context.Context, id string) (Account, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`), id)
	a, err := s.scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, fmt.Errorf("account %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Account{}, fmt.Errorf("store: account %q: %w", id, err)
	}
	return a, nil
}

// UpdateAccount reads the account under the same row lock UpdateTokens takes, lets fn change it
// and writes it back in that transaction. Settings saved this way (trigger stages, perform_as,
// webhook tokens) can never write back tokens a worker refreshed meanwhile. fn's error is
// returned as it is and nothing is written. ErrNotFound for an unknown account.
func (s *Store) UpdateAccount(ctx context.Context, id string, fn func(a *Account) error) error {
	tx, err := s.beginLocking(ctx)
	if err != nil {
		return fmt.Errorf("store: update account %q: begin: %w", id, err)
	}
	defer tx.Rollback() // a no-op after Commit
	query := `SELECT ` + accountColumns + ` FROM accounts WHERE id = ?`
	if s.dialect == DialectPostgres {
		query += ` FOR UPDATE`
	}
	a, err := s.scanAccount(tx.QueryRowContext(ctx, s.q(query), id))
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("account %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: update account %q: %w", id, err)
	}
	if err := fn(&a); err != nil {
		return err
	}
	a.ID = id
	if err := validStatus(a.Status); err != nil {
		return fmt.Errorf("store: update account %q: %w", id, err)
	}
	if err := validPolicy(a.ReinvitePolicy); err != nil {
		return fmt.Errorf("store: update account %q: %w", id, err)
	}
	if err := a.ValidateCompletion(); err != nil {
		return fmt.Errorf("store: update account %q: %w", id, err)
	}
	if err := s.putAccount(ctx, tx, a); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: update account %q: commit: %w", id, err)
	}
	return nil
}

// Accounts returns every account ordered by id.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	accounts, err := queryAll(ctx, s.db, `SELECT `+accountColumns+` FROM accounts`, func(rows *sql.Rows) (Account, error) {
		a, err := s.scanAccount(rows)
		if err != nil {
			return a, fmt.Errorf("account %q: %w", a.ID, err)
		}
		return a, nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	// Sorted here, byte-wise, because ORDER BY follows the database's collation.
	slices.SortFunc(accounts, func(x, y Account) int { return strings.Compare(x.ID, y.ID) })
	return accounts, nil
}

// DeleteAccount removes the account with its assessments, mappings and bands. Deleting an
// unknown account is not an error.
func (s *Store) DeleteAccount(ctx context.Context, id string) error {
	// Children go with ON DELETE CASCADE (foreign_keys is on for SQLite).
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM accounts WHERE id = ?`), id); err != nil {
		return fmt.Errorf("store: delete account %q: %w", id, err)
	}
	return nil
}

// SaveTokens replaces the token triple in one UPDATE, e.g. when an account is connected or
// disconnected. Refreshes go through UpdateTokens instead, which takes the account's lock so
// that workers never refresh the same rotating token twice. ErrNotFound for an unknown account.
func (s *Store) SaveTokens(ctx context.Context, accountID, access, refresh string, expiry time.Time) error {
	return s.writeTokens(ctx, s.db, "save tokens", accountID, Tokens{Access: access, Refresh: refresh, Expiry: expiry})
}

// SetStatus sets StatusConnected or StatusDisconnected. ErrNotFound for an unknown account.
func (s *Store) SetStatus(ctx context.Context, accountID, status string) error {
	if err := validStatus(status); err != nil {
		return fmt.Errorf("store: set status of account %q: %w", accountID, err)
	}
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?`),
		status, toMillis(time.Now()), accountID)
	if err != nil {
		return fmt.Errorf("store: set status of account %q: %w", accountID, err)
	}
	return oneRow(res, "set status", accountID)
}

type rowScanner interface{ Scan(dest ...any) error }

// scanAccount reads one row; on a decoding error the returned Account still carries its ID
// so callers can say which account is unreadable.
func (s *Store) scanAccount(row rowScanner) (Account, error) {
	var (
		a                              Account
		access, refresh, apiKey, hooks string
		stages                         string
		expiry, createdAt, updatedAt   int64
		remindMS, expireMS, reinviteMS int64
		passThreshold, archiveBelow    sql.NullFloat64
		graceMS                        int64
	)
	err := row.Scan(&a.ID, &a.Name, &a.Status, &a.LeverBaseURL, &access, &refresh, &expiry,
		&apiKey, &hooks, &stages, &a.PerformAs, &createdAt, &updatedAt, &remindMS, &expireMS,
		&a.ReinvitePolicy, &reinviteMS,
		&a.CompletionStageID, &passThreshold, &a.PassStageID, &a.FailStageID, &archiveBelow,
		&a.ArchiveReasonID, &graceMS, &a.UploadReport, &a.InviteOnApplication, &a.QuietNoAssessment)
	if err != nil {
		return Account{}, err
	}
	id := Account{ID: a.ID}
	if a.AccessToken, err = s.open(a.ID, colAccessToken, access); err != nil {
		return id, err
	}
	if a.RefreshToken, err = s.open(a.ID, colRefreshToken, refresh); err != nil {
		return id, err
	}
	if a.APIKey, err = s.open(a.ID, colAPIKey, apiKey); err != nil {
		return id, err
	}
	hooksJSON, err := s.open(a.ID, colWebhookTokens, hooks)
	if err != nil {
		return id, err
	}
	if a.WebhookTokens, err = decodeList(hooksJSON); err != nil {
		return id, fmt.Errorf("webhook tokens: %w", err)
	}
	if a.TriggerStages, err = decodeList(stages); err != nil {
		return id, fmt.Errorf("trigger stages: %w", err)
	}
	a.TokenExpiry = fromMillis(expiry)
	a.CreatedAt = fromMillis(createdAt)
	a.UpdatedAt = fromMillis(updatedAt)
	a.RemindAfter = time.Duration(remindMS) * time.Millisecond
	a.ExpireAfter = time.Duration(expireMS) * time.Millisecond
	a.ReinviteAfter = time.Duration(reinviteMS) * time.Millisecond
	a.PassThreshold = floatPtr(passThreshold)
	a.ArchiveBelow = floatPtr(archiveBelow)
	a.ArchiveGrace = time.Duration(graceMS) * time.Millisecond
	return a, nil
}

// sealedSecrets holds an account's secret columns as stored.
type sealedSecrets struct{ access, refresh, apiKey, webhookTokens string }

func (s *Store) sealSecrets(a Account) (sealedSecrets, error) {
	var out sealedSecrets
	var err error
	if out.access, err = s.seal(a.ID, colAccessToken, a.AccessToken); err != nil {
		return out, err
	}
	if out.refresh, err = s.seal(a.ID, colRefreshToken, a.RefreshToken); err != nil {
		return out, err
	}
	if out.apiKey, err = s.seal(a.ID, colAPIKey, a.APIKey); err != nil {
		return out, err
	}
	if len(a.WebhookTokens) > 0 {
		b, err := json.Marshal(a.WebhookTokens)
		if err != nil {
			return out, fmt.Errorf("store: put account %q: webhook tokens: %w", a.ID, err)
		}
		if out.webhookTokens, err = s.seal(a.ID, colWebhookTokens, string(b)); err != nil {
			return out, err
		}
	}
	return out, nil
}

// seal encrypts a secret bound to its account and column, so a value copied to another
// account, or to another column, no longer decrypts.
func (s *Store) seal(accountID, column, plaintext string) (string, error) {
	v, err := s.cipher.EncryptWithAD(plaintext, secretAD(accountID, column))
	if err != nil {
		return "", fmt.Errorf("store: encrypt %s of account %q: %w", column, accountID, err)
	}
	return v, nil
}

func (s *Store) open(accountID, column, ciphertext string) (string, error) {
	v, err := s.cipher.DecryptWithAD(ciphertext, secretAD(accountID, column))
	if err != nil {
		return "", fmt.Errorf("%s: %w", column, err)
	}
	return v, nil
}

func secretAD(accountID, column string) string { return accountID + "\x00" + column }

func validStatus(status string) error {
	switch status {
	case StatusConnected, StatusDisconnected:
		return nil
	}
	return fmt.Errorf("unknown status %q (want %q or %q)", status, StatusConnected, StatusDisconnected)
}

// oneRow maps an UPDATE that matched nothing to ErrNotFound.
func oneRow(res sql.Result, op, accountID string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s of account %q: %w", op, accountID, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s: account %q: %w", op, accountID, ErrNotFound)
	}
	return nil
}

// decodeList reads a JSON string array; empty input or an empty array gives nil.
func decodeList(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	return list, nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// toMillis stores the zero time as 0 so it reads back as the zero time.
func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
