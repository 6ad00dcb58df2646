package activities

import (
	"sync"
	"time"
)

// accountCache keeps per-account look-ups that rarely change (posting tags, our feedback
// template) so a candidate costs the Lever budget only the calls that are about them.
type accountCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[cacheKey]cacheEntry
}

type cacheKey struct{ account, kind, id string }

type cacheEntry struct {
	v       any
	expires time.Time
}

func newAccountCache(ttl time.Duration) *accountCache {
	return &accountCache{ttl: ttl, m: make(map[cacheKey]cacheEntry)}
}

func (c *accountCache) get(k cacheKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || time.Now().After(e.expires) {
		delete(c.m, k)
		return nil, false
	}
	return e.v, true
}

func (c *accountCache) put(k cacheKey, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = cacheEntry{v: v, expires: time.Now().Add(c.ttl)}
}

func (c *accountCache) drop(k cacheKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}
