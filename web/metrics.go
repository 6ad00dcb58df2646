package web

import (
	"net/http"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
)

// Recorder counts webhooks and callbacks by event and outcome, and forged webhook deliveries
// by account; *metrics.Metrics is one.
type Recorder interface {
	Webhook(event, outcome string)
	WebhookForgery(account string)
	Callback(event, outcome string)
}

// counted counts each request of h once, with the event the handler noted and the outcome it
// answered (the "status" of a 2xx answer, else a name for the error status).
func counted(count func(event, outcome string), h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ow := &outcomeWriter{ResponseWriter: w, event: "unknown"}
		h(ow, r)
		count(ow.event, ow.outcomeLabel())
	}
}

// outcomeWriter remembers what a counted handler answered.
type outcomeWriter struct {
	http.ResponseWriter
	event   string
	status  int
	outcome string
	label   string // set by noteLabel: the outcome, whatever the answer
}

func (o *outcomeWriter) WriteHeader(status int) {
	if o.status == 0 {
		o.status = status
	}
	o.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection (readBody sets a read deadline).
func (o *outcomeWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

func (o *outcomeWriter) outcomeLabel() string {
	if o.label != "" {
		return o.label
	}
	if o.outcome != "" && o.status < 300 {
		return o.outcome
	}
	switch o.status {
	case 0, http.StatusOK, http.StatusAccepted:
		return "ok"
	case http.StatusBadRequest:
		return "malformed"
	case http.StatusUnauthorized:
		return "bad_signature"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "finished"
	case http.StatusRequestTimeout:
		return "too_slow"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "error"
}

// noteEvent tells a counted request's writer which event it carried; other writers ignore it.
func noteEvent(w http.ResponseWriter, event string) {
	if o := outcomeOf(w); o != nil {
		o.event = event
	}
}

// noteLabel sets a counted request's outcome label outright, for answers whose status alone
// would name them wrongly.
func noteLabel(w http.ResponseWriter, outcome string) {
	if o := outcomeOf(w); o != nil {
		o.label = outcome
	}
}

// noteOutcome records the "status" of a 2xx JSON answer as the outcome.
func noteOutcome(w http.ResponseWriter, body any) {
	o := outcomeOf(w)
	if o == nil {
		return
	}
	if m, ok := body.(map[string]string); ok {
		o.outcome = m["status"]
	}
}

// outcomeOf finds the counted request's writer under w and the writers wrapping it; nil when the
// request is not counted.
func outcomeOf(w http.ResponseWriter) *outcomeWriter {
	for {
		switch v := w.(type) {
		case *outcomeWriter:
			return v
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			return nil
		}
	}
}

// webhookEvent bounds the event label to Lever's events.
func webhookEvent(event string) string {
	switch event {
	case lever.EventStageChange, lever.EventArchiveChange, lever.EventHired, lever.EventDeleted, lever.EventApplicationCreated:
		return event
	case "":
		return "none" // Lever's Test button
	}
	return "other"
}

// callbackEvent bounds the event label to the platform's events.
func callbackEvent(event string) string {
	switch event {
	case assessment.EventStarted, assessment.EventSubmitted:
		return event
	}
	return "other"
}
