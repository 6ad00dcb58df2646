package activities

import (
	"context"

	"github.com/assessbridge/assessbridge/store"
)

// AccountConnected reports whether the account may call Lever again; a workflow waiting on a
// disconnected account polls it between reconnect signals.
func (a *Activities) AccountConnected(ctx context.Context, accountID string) (bool, error) {
	acct, err := a.account(ctx, accountID)
	if err != nil {
		return false, err
	}
	return acct.Status != store.StatusDisconnected && (acct.APIKey != "" || acct.AccessToken != "" || acct.RefreshToken != ""), nil
}
