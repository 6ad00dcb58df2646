package lever

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// User is a Lever user, e.g. the one writes are performed as.
type User struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// FindUserByEmail finds the user with this email (GET /users?email=…), comparing case
// insensitively. No match gives ErrNotFound. The email never appears in errors.
func (c *Client) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, errors.New("lever: find user by email: empty email")
	}
	users, err := listAll[User](ctx, c, "/users", url.Values{"email": {email}})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if strings.EqualFold(strings.TrimSpace(u.Email), email) {
			return &u, nil
		}
	}
	return nil, fmt.Errorf("lever: find user by email: %w", ErrNotFound)
}
