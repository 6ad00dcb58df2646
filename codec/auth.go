package codec

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// bearerToken checks Authorization headers against one token. Only its hash is kept, and
// hashes are compared in constant time, so neither the token nor its length leaks by timing.
type bearerToken struct {
	sum [sha256.Size]byte
	set bool // an empty token authorizes nothing
}

func newBearerToken(token string) bearerToken {
	return bearerToken{sum: sha256.Sum256([]byte(token)), set: token != ""}
}

// authorizes reports whether r carries "Authorization: Bearer <token>" (scheme case-insensitive).
func (b bearerToken) authorizes(r *http.Request) bool {
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !b.set || !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
	return subtle.ConstantTimeCompare(sum[:], b.sum[:]) == 1
}
