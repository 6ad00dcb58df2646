package devserver

import (
	"testing"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// TestServerLoggerLevels: the server's logs reach the caller's logger from Warn up (never
// below the caller's own level), and nothing but panics once Stop has closed the gate.
func TestServerLoggerLevels(t *testing.T) {
	tests := []struct {
		name       string
		callerMin  zapcore.Level
		stopped    bool
		wantLogged []string
	}{
		{name: "debug caller", callerMin: zapcore.DebugLevel, wantLogged: []string{"warn", "error"}},
		{name: "error caller", callerMin: zapcore.ErrorLevel, wantLogged: []string{"error"}},
		{name: "stopping", callerMin: zapcore.DebugLevel, stopped: true, wantLogged: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core, logs := observer.New(tt.callerMin)
			logger, gate := serverLogger(zap.New(core))
			if tt.stopped {
				gate.SetLevel(zapcore.DPanicLevel)
			}
			logger.Debug("debug")
			logger.Info("info")
			logger.Warn("warn")
			// Through With, as the server's components log: the gate must survive it.
			log.With(logger, tag.NewStringTag("component", "test")).Error("error")

			var got []string
			for _, e := range logs.All() {
				got = append(got, e.Message)
			}
			if len(got) != len(tt.wantLogged) {
				t.Fatalf("logged: got %q, want %q", got, tt.wantLogged)
			}
			for i := range got {
				if got[i] != tt.wantLogged[i] {
					t.Errorf("logged[%d]: got %q, want %q", i, got[i], tt.wantLogged[i])
				}
			}
		})
	}
}
