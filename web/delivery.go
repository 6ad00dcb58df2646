package web

import (
	"context"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// Lever signs only token+triggeredAt, so a delivery's token is single-use: the same token with
// other content is an edited replay and refused; with the same content it is Lever retrying,
// acted on again until one attempt was answered 2xx and answered "duplicate" after that.

// completeTimeout bounds recording that a delivery was answered 2xx.
const completeTimeout = 5 * time.Second

// deliveryOf is what the store remembers of hook. It is kept while the delivery can be
// accepted, plus maxDeliverySkew in case our processes' clocks disagree: none may forget a
// token that another still accepts.
func deliveryOf(acct store.Account, hook *lever.Webhook) store.Delivery {
	return store.Delivery{
		AccountID: acct.ID, Token: hook.Token, ContentHash: hook.ContentHash(),
		Expires: hook.TriggeredTime().Add(maxDeliveryAge + maxDeliverySkew),
	}
}

// claimDelivery claims d and reports whether the handler is to act on it; when not, it has
// answered: 401 for a token reused with other content, 200 "duplicate" for a delivery already
// answered 2xx, 503 when the store cannot tell (Lever retries; nothing unclaimed is acted on).
func (s *Server) claimDelivery(w http.ResponseWriter, r *http.Request, log *zap.Logger, d store.Delivery) bool {
	state, err := s.deliveries.ClaimDelivery(r.Context(), d)
	switch {
	case err != nil:
		log.Error("claim delivery", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "try again later")
		return false
	case state == store.DeliveryForged:
		// No data, no opportunity: what a forger wrote is not logged.
		log.Warn("delivery token already used with different content; possibly a forgery")
		if s.cfg.Metrics != nil {
			s.cfg.Metrics.WebhookForgery(d.AccountID)
		}
		noteLabel(w, "forged")
		writeError(w, http.StatusUnauthorized, "delivery token already used with different content")
		return false
	case state == store.DeliveryRepeat:
		writeJSON(w, http.StatusOK, map[string]string{"status": "duplicate"})
		return false
	}
	return true
}

// completeDelivery records that d was answered 2xx. It goes on if the client has hung up
// meanwhile: without the record an identical replay would be acted on again.
func (s *Server) completeDelivery(r *http.Request, log *zap.Logger, d store.Delivery) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), completeTimeout)
	defer cancel()
	if err := s.deliveries.CompleteDelivery(ctx, d); err != nil {
		log.Error("complete delivery", zap.Error(err))
	}
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController and the metrics notes reach the writer underneath.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) succeeded() bool { return s.status >= 200 && s.status < 300 }
