package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// devFiles are the settings the dev stack keeps in files of its data directory.
var devFiles = map[string]string{
	"ASSESSBRIDGE_SECRET_KEY":     "secret.key",
	"ASSESSBRIDGE_HISTORY_KEYS":   "history.keys",
	"ASSESSBRIDGE_ADMIN_PASSWORD": "admin-password",
}

// devHint names the file of the data directory that holds a missing setting, when the dev stack
// wrote one there: a worker or starter command pointed at a dev data directory needs the values
// dev generated, e.g. ASSESSBRIDGE_SECRET_KEY=$(cat .data/secret.key).
func (c Config) devHint(name string) string {
	file, ok := devFiles[name]
	if !ok || c.DataDir == "" {
		return ""
	}
	path := filepath.Join(c.DataDir, file)
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return fmt.Sprintf(" (the dev stack's is in %s: %s=$(cat %s))", path, name, path)
}

// CheckStore lists what opening the store needs and is missing.
func (c Config) CheckStore() error {
	return c.missing(map[string]bool{"ASSESSBRIDGE_SECRET_KEY": len(c.SecretKey) == 0})
}

// CheckOperator lists what an operator command needs and is missing: the store's key when it
// opens the store, and, against a dev data directory (whose workflows carry encrypted payloads
// a plaintext client cannot read), the history keys.
func (c Config) CheckOperator(opensStore bool) error {
	return c.missing(map[string]bool{
		"ASSESSBRIDGE_SECRET_KEY":   opensStore && len(c.SecretKey) == 0,
		"ASSESSBRIDGE_HISTORY_KEYS": c.HistoryKeys == "" && c.devHint("ASSESSBRIDGE_HISTORY_KEYS") != "",
	})
}
