package store

import (
	"strconv"
	"strings"
)

// rebind rewrites ? placeholders to PostgreSQL's $1, $2, … so every query is written once.
// A ? inside a single-quoted literal is left alone; an escaped (doubled) quote toggles the
// in-literal state twice, so it needs no special case.
func rebind(dialect, query string) string {
	if dialect != DialectPostgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case ch == '\'':
			quoted = !quoted
		case ch == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}
