package devserver

import (
	"go.temporal.io/server/common/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// serverLogger adapts zl to the server's logger behind a level gate that starts at Warn: the
// server is chatty at Info (every service start, shard movement, namespace refresh). Stop
// closes the gate (only panics pass): a stopping server warns about every internal poll that
// fails against its own frontend going away and logs "context canceled" persistence calls as
// errors, none of which an operator can act on.
func serverLogger(zl *zap.Logger) (log.Logger, zap.AtomicLevel) {
	gate := zap.NewAtomicLevelAt(zapcore.WarnLevel)
	zl = zl.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return gatedCore{Core: c, gate: gate}
	}))
	return log.NewZapLogger(zl.Named("temporal")), gate
}

// gatedCore passes an entry on only when both the gate and the wrapped core enable its level.
// zapcore.NewIncreaseLevelCore can't be used: it refuses a gate below the core's own level,
// and the caller's logger may well be stricter than Warn.
type gatedCore struct {
	zapcore.Core
	gate zap.AtomicLevel
}

func (g gatedCore) Enabled(l zapcore.Level) bool {
	return g.gate.Enabled(l) && g.Core.Enabled(l)
}

func (g gatedCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if !g.gate.Enabled(e.Level) {
		return ce
	}
	return g.Core.Check(e, ce)
}

func (g gatedCore) With(fields []zapcore.Field) zapcore.Core {
	return gatedCore{Core: g.Core.With(fields), gate: g.gate}
}
