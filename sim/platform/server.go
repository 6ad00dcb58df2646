// Package platform is an in-memory assessment platform that speaks assessbridge's
// platform contract (assessment/README.md) over real HTTP: bearer auth, idempotent
// invitations, cancel, remind, and signed callbacks driven by Start and Submit.
// Importers alias it platformsim. It is for tests and demos; nothing is persisted.
package platform

import (
	"net/http"
	"sync"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
)

const defaultCallbackTimeout = 10 * time.Second

// Options configures a Server.
type Options struct {
	APIKey         string       // required bearer; an empty key rejects every API call
	CallbackURL    string       // default callback target when an invitation has none
	CallbackSecret string       // signs callbacks
	HTTPClient     *http.Client // for callbacks; default 10 s timeout
	// AutoPlay, when set, plays every invited candidate (see SetAutoPlay).
	AutoPlay *AutoPlay
	// NoReportFile leaves report_file_url out of submitted callbacks (a platform
	// without report files); by default it points at the invitation's report.pdf.
	NoReportFile bool
}

// Invitation is the simulator's full record of an invitation, PII included.
type Invitation struct {
	ID, AssessmentID, Reference, CallbackURL, IdempotencyKey string
	// Status: "invited" → "started" → "submitted"; or "cancelled".
	Status    string
	InviteURL string
	Candidate assessment.Candidate
	Reminders int
	CreatedAt time.Time
}

// Server is the simulated platform; it is an http.Handler. Mount it at the client's
// base URL (directly, or under a prefix with or without http.StripPrefix).
type Server struct {
	opts Options
	hc   *http.Client

	mu             sync.Mutex
	assessments    []assessment.Assessment
	invitations    []*Invitation // creation order
	byID           map[string]*Invitation
	byKey          map[string]*Invitation
	inviteRequests int
	faults         []*Fault
	auto           autoState
}

// New returns an empty simulator; add assessments with AddAssessment.
func New(opts Options) *Server {
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: defaultCallbackTimeout}
	}
	s := &Server{
		opts:  opts,
		hc:    hc,
		byID:  map[string]*Invitation{},
		byKey: map[string]*Invitation{},
	}
	if opts.AutoPlay != nil {
		s.SetAutoPlay(opts.AutoPlay)
	}
	return s
}

// AddAssessment adds an assessment, or renames it when the id exists.
func (s *Server) AddAssessment(id, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.assessments {
		if s.assessments[i].ID == id {
			s.assessments[i].Title = title
			return
		}
	}
	s.assessments = append(s.assessments, assessment.Assessment{ID: id, Title: title})
}

// Invitations returns copies of all invitations in creation order.
func (s *Server) Invitations() []Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invitation, 0, len(s.invitations))
	for _, inv := range s.invitations {
		out = append(out, *inv)
	}
	return out
}

// Invitation returns a copy of the invitation with this id.
func (s *Server) Invitation(id string) (Invitation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.byID[id]
	if !ok {
		return Invitation{}, false
	}
	return *inv, true
}

// InvitationByReference returns a copy of the first invitation created with ref.
func (s *Server) InvitationByReference(ref string) (Invitation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.invitations) - 1; i >= 0; i-- { // the newest: a re-invite or a later run
		if s.invitations[i].Reference == ref {
			return *s.invitations[i], true
		}
	}
	return Invitation{}, false
}

// InviteRequests counts every POST /v1/invitations that arrived, whatever the
// answer (replays, faults and auth failures included). Invitations created is
// len(Invitations()).
func (s *Server) InviteRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inviteRequests
}
