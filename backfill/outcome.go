package backfill

// outcome is what happened to one listed candidate.
type outcome int

const (
	wouldStart outcome = iota
	started
	alreadyRunning
	alreadyDone
	skippedArchived
	skippedOtherStage
)

// String is the outcome as printed in progress lines.
func (o outcome) String() string {
	switch o {
	case wouldStart:
		return "would start"
	case started:
		return "started"
	case alreadyRunning:
		return "already running"
	case alreadyDone:
		return "already completed (not re-invited)"
	case skippedArchived:
		return "skipped: archived"
	case skippedOtherStage:
		return "skipped: not in a backfill stage"
	}
	return "unknown"
}

// add counts o in r.
func (r *Report) add(o outcome) {
	switch o {
	case wouldStart:
		r.WouldStart++
	case started:
		r.Started++
	case alreadyRunning:
		r.AlreadyRunning++
	case alreadyDone:
		r.AlreadyDone++
	case skippedArchived:
		r.Archived++
	case skippedOtherStage:
		r.OtherStage++
	}
}
