package store

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCompletionDefaultsOff(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		putAccount(t, s, "acme")
		got, err := s.Account(context.Background(), "acme")
		mustDo(t, "Account", err)
		checkAccount(t, got, Account{ID: "acme", Name: "Account acme", Status: StatusConnected})
		if got.EffectiveArchiveGrace() != DefaultArchiveGrace {
			t.Errorf("EffectiveArchiveGrace: got %s, want %s", got.EffectiveArchiveGrace(), DefaultArchiveGrace)
		}
	})
}

// TestCompletionRoundTrip: every way an account is written and read keeps the settings,
// including turning them off again.
func TestCompletionRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		want := fullAccount("acme")
		mustDo(t, "PutAccount", s.PutAccount(ctx, want))
		got, err := s.Account(ctx, "acme")
		mustDo(t, "Account", err)
		checkAccount(t, got, want)

		list, err := s.Accounts(ctx)
		mustDo(t, "Accounts", err)
		if len(list) != 1 {
			t.Fatalf("Accounts: got %d, want 1", len(list))
		}
		checkAccount(t, list[0], want)

		err = s.UpdateAccount(ctx, "acme", func(a *Account) error {
			a.PassThreshold, a.PassStageID, a.FailStageID = nil, "", ""
			a.ArchiveBelow, a.ArchiveGrace = pctPtr(40.25), 0
			a.CompletionStageID, a.UploadReport, a.InviteOnApplication = "", false, false
			return nil
		})
		mustDo(t, "UpdateAccount", err)
		want.PassThreshold, want.PassStageID, want.FailStageID = nil, "", ""
		want.ArchiveBelow, want.ArchiveGrace = pctPtr(40.25), 0
		want.CompletionStageID, want.UploadReport, want.InviteOnApplication = "", false, false
		got, err = s.Account(ctx, "acme")
		mustDo(t, "Account after update", err)
		checkAccount(t, got, want)
	})
}

// TestCompletionRejectedByStore: neither write path stores settings that do not make sense.
func TestCompletionRejectedByStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		bad := fullAccount("acme")
		bad.PassThreshold = pctPtr(101.0)
		if err := s.PutAccount(ctx, bad); err == nil {
			t.Errorf("PutAccount with threshold 101: got nil error, want one")
		}
		mustDo(t, "PutAccount", s.PutAccount(ctx, fullAccount("acme")))
		err := s.UpdateAccount(ctx, "acme", func(a *Account) error { a.ArchiveReasonID = ""; return nil })
		var ce *CompletionError
		if !errors.As(err, &ce) || ce.Field != "ArchiveReasonID" {
			t.Errorf("UpdateAccount dropping the archive reason: got %v, want a CompletionError for ArchiveReasonID", err)
		}
		got, _ := s.Account(ctx, "acme")
		checkAccount(t, got, fullAccount("acme"))
	})
}

func TestValidateCompletion(t *testing.T) {
	tests := []struct {
		name       string
		change     func(a *Account)
		wantFields []string // nil: valid
	}{
		{"all off", func(a *Account) {}, nil},
		{"everything on", func(a *Account) { *a = fullAccount("x") }, nil},
		{"thresholds at the bounds", func(a *Account) {
			a.PassThreshold, a.ArchiveBelow, a.ArchiveReasonID = pctPtr(100.0), pctPtr(0.0), "r"
		}, nil},
		{"archive equal to pass", func(a *Account) {
			a.PassThreshold, a.ArchiveBelow, a.ArchiveReasonID = pctPtr(50.0), pctPtr(50.0), "r"
		}, nil},
		{"grace at the bounds", func(a *Account) { a.ArchiveGrace = MinArchiveGrace }, nil},
		{"grace at the upper bound", func(a *Account) { a.ArchiveGrace = MaxArchiveGrace }, nil},
		{"completion stage alone", func(a *Account) { a.CompletionStageID = "s" }, nil},
		{"archive reason kept while archive is off", func(a *Account) { a.ArchiveReasonID = "r" }, nil},
		{"pass threshold negative", func(a *Account) { a.PassThreshold = pctPtr(-0.5) }, []string{"PassThreshold"}},
		{"pass threshold NaN", func(a *Account) { a.PassThreshold = pctPtr(math.NaN()) }, []string{"PassThreshold"}},
		{"archive above 100", func(a *Account) { a.ArchiveBelow, a.ArchiveReasonID = pctPtr(100.5), "r" }, []string{"ArchiveBelow"}},
		{"archive without reason", func(a *Account) { a.ArchiveBelow = pctPtr(30.0) }, []string{"ArchiveReasonID"}},
		{"grace too short", func(a *Account) { a.ArchiveGrace = 59 * time.Minute }, []string{"ArchiveGrace"}},
		{"grace too long", func(a *Account) { a.ArchiveGrace = MaxArchiveGrace + time.Millisecond }, []string{"ArchiveGrace"}},
		{"grace negative", func(a *Account) { a.ArchiveGrace = -time.Hour }, []string{"ArchiveGrace"}},
		{"pass and fail stages without threshold", func(a *Account) { a.PassStageID, a.FailStageID = "p", "f" },
			[]string{"PassStageID", "FailStageID"}},
		{"archive would reach passes", func(a *Account) {
			a.PassThreshold, a.ArchiveBelow, a.ArchiveReasonID = pctPtr(60.0), pctPtr(70.0), "r"
		}, []string{"ArchiveBelow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Account{ID: "x"}
			tt.change(&a)
			err := a.ValidateCompletion()
			var fields []string
			for _, e := range unjoin(err) {
				ce, ok := e.(*CompletionError)
				if !ok {
					t.Fatalf("got error %T %v, want *CompletionError", e, e)
				}
				if ce.Error() == "" {
					t.Errorf("field %s: empty message", ce.Field)
				}
				fields = append(fields, ce.Field)
			}
			if !slices.Equal(fields, tt.wantFields) {
				t.Errorf("got problems with %v (%v), want %v", fields, err, tt.wantFields)
			}
		})
	}
}

func TestValidateCompletionMessage(t *testing.T) {
	a := Account{PassThreshold: pctPtr(60.0), ArchiveBelow: pctPtr(70.5), ArchiveReasonID: "r"}
	err := a.ValidateCompletion()
	if err == nil || !strings.Contains(err.Error(), "70.5%") || !strings.Contains(err.Error(), "60%") {
		t.Errorf("got %v, want a message naming both thresholds", err)
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestWithPosting(t *testing.T) {
	a := Account{PassThreshold: pctPtr(70.0), ArchiveBelow: pctPtr(30.0), ArchiveReasonID: "r"}
	tests := []struct {
		name                string
		p                   PostingSettings
		wantPass, wantArchv *float64
	}{
		{"no overrides", PostingSettings{}, pctPtr(70.0), pctPtr(30.0)},
		{"pass only", PostingSettings{PassThreshold: pctPtr(50.0)}, pctPtr(50.0), pctPtr(30.0)},
		{"both", PostingSettings{PassThreshold: pctPtr(80.0), ArchiveBelow: pctPtr(0.0)}, pctPtr(80.0), pctPtr(0.0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.WithPosting(tt.p)
			if !samePtr(got.PassThreshold, tt.wantPass) || !samePtr(got.ArchiveBelow, tt.wantArchv) {
				t.Errorf("got pass %v archive %v, want %v %v", showPtr(got.PassThreshold), showPtr(got.ArchiveBelow),
					showPtr(tt.wantPass), showPtr(tt.wantArchv))
			}
		})
	}
}
