package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/assessbridge/assessbridge/store"
)

func (a *Activities) account(ctx context.Context, id string) (store.Account, error) {
	acct, err := a.store.Account(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Account{}, permanent(ErrTypeAccount, "account %s is not connected", id)
	}
	if err != nil {
		return store.Account{}, fmt.Errorf("read account %s: %w", id, err)
	}
	return acct, nil
}
