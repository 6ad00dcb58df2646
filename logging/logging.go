// Package logging builds the process's zap logger and hands it to the Temporal SDK.
package logging

import (
	"fmt"
	"strings"
	"unicode"

	"go.temporal.io/sdk/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a JSON logger at the given level (debug, info, warn, error): one object per line,
// for production log collectors.
func New(level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.Sampling = nil
	return cfg.Build()
}

// NewConsole returns a logger for a person at a terminal (the dev command): plain lines with
// the same fields as New's.
func NewConsole(level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	cfg := zap.NewDevelopmentConfig()
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.Development = false // no panics on DPanic, no stack traces on warnings
	cfg.DisableStacktrace = true
	return cfg.Build()
}

// Temporal adapts z to the SDK's logger, so workflow and activity logs go through zap. The SDK's
// keys are renamed to ours (WorkflowID → workflow_id, …), so one field finds a workflow's lines
// whether the SDK or our code wrote them.
func Temporal(z *zap.Logger) log.Logger {
	return temporalLogger{z.WithOptions(zap.AddCallerSkip(1)).Sugar()}
}

type temporalLogger struct{ s *zap.SugaredLogger }

func (l temporalLogger) Debug(msg string, kv ...any) { l.s.Debugw(msg, renameKeys(kv)...) }
func (l temporalLogger) Info(msg string, kv ...any)  { l.s.Infow(msg, renameKeys(kv)...) }
func (l temporalLogger) Warn(msg string, kv ...any)  { l.s.Warnw(msg, renameKeys(kv)...) }
func (l temporalLogger) Error(msg string, kv ...any) { l.s.Errorw(msg, renameKeys(kv)...) }

// With keeps the SDK's tagged loggers (workflow and activity IDs) structured.
func (l temporalLogger) With(kv ...any) log.Logger {
	return temporalLogger{l.s.With(renameKeys(kv)...)}
}

// renameKeys turns the SDK's CamelCase tag keys into the snake_case ones the rest of our logs
// use: WorkflowID → workflow_id, ActivityRunID → activity_run_id.
func renameKeys(kv []any) []any {
	out := make([]any, len(kv))
	copy(out, kv)
	for i := 0; i < len(out)-1; i += 2 {
		if k, ok := out[i].(string); ok {
			out[i] = snakeCase(k)
		}
	}
	return out
}

func snakeCase(k string) string {
	var b strings.Builder
	r := []rune(k)
	for i, c := range r {
		if unicode.IsUpper(c) {
			// A word starts at an upper-case letter after a lower-case one or a digit, or at the
			// last capital of an acronym followed by a lower-case letter ("IDFoo" → id_foo).
			if i > 0 && (unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1]) ||
				(unicode.IsUpper(r[i-1]) && i+1 < len(r) && unicode.IsLower(r[i+1]))) {
				b.WriteByte('_')
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}
