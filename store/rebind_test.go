package store

import "testing"

func TestRebind(t *testing.T) {
	tests := []struct {
		name, dialect, in, want string
	}{
		{"sqlite untouched", DialectSQLite, `SELECT * FROM t WHERE a = ? AND b = ?`, `SELECT * FROM t WHERE a = ? AND b = ?`},
		{"postgres numbered", DialectPostgres, `SELECT * FROM t WHERE a = ? AND b = ?`, `SELECT * FROM t WHERE a = $1 AND b = $2`},
		{"no placeholders", DialectPostgres, `SELECT 1`, `SELECT 1`},
		{"ten and more", DialectPostgres, `VALUES (?,?,?,?,?,?,?,?,?,?,?)`, `VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`},
		{"literal kept", DialectPostgres, `SELECT '?' , ?`, `SELECT '?' , $1`},
		{"escaped quote in literal", DialectPostgres, `SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rebind(tt.dialect, tt.in); got != tt.want {
				t.Errorf("rebind(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
