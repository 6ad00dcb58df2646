package web

import (
	"net/http"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
)

// Recorder counts webhooks and callbacks by event and outcome; *metrics.Metrics is one.
type Recorder interface {
	Webhook(event, outcome string)
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
	if o, ok := w.(*outcomeWriter); ok {
		o.event = event
	}
}

// noteOutcome records the "status" of a 2xx JSON answer as the outcome.
func noteOutcome(w http.ResponseWriter, body any) {
	o, ok := w.(*outcomeWriter)
	if !ok {
		return
	}
	if m, ok := body.(map[string]string); ok {
		o.outcome = m["status"]
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
