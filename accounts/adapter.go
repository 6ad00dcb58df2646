package accounts

import (
	"context"

	"github.com/assessbridge/assessbridge/activities"
)

// ForActivities exposes the clients as the activities' LeverClients.
func (c *Clients) ForActivities() activities.LeverClients {
	return activities.LeverClientsFunc(func(ctx context.Context, accountID string) (activities.LeverAPI, error) {
		lc, err := c.Client(ctx, accountID)
		if err != nil {
			return nil, err
		}
		return lc, nil
	})
}
