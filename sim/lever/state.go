package lever

import (
	"fmt"
	"maps"
	"slices"

	"golang.org/x/time/rate"

	leverapi "github.com/assessbridge/assessbridge/lever"
)

// User is a Lever user (writes can be performed as one).
type User struct {
	ID, Name, Email string
}

// Posting is a job posting.
type Posting struct {
	ID, Text                 string
	Tags                     []string
	OwnerID, HiringManagerID string
	// Fields are the posting's other fields as JSON values (categories, content, state,
	// workplaceType…), which a recruiter sets in Lever and an update must not lose.
	Fields map[string]any
	// Updates counts POST /postings/:id requests applied; UpdatedBy is the last one's perform_as.
	Updates   int
	UpdatedBy string
}

// Opportunity seeds a candidate's opportunity; PostingID (optional) becomes its one
// application. ContactID defaults to "contact-" + ID.
type Opportunity struct {
	ID, Name           string
	Emails, Tags       []string
	StageID, PostingID string
	ContactID, OwnerID string
}

// account is one Lever account's data; guarded by Server.mu.
type account struct {
	id, token string
	limiter   *rate.Limiter // nil: unlimited
	users     []User
	stages    []leverapi.Stage
	reasons   []leverapi.ArchiveReason
	postings  map[string]Posting
	opps      map[string]*opportunity
	templates []*template
	webhooks  []webhook
	stats     CallStats
}

type opportunity struct {
	Opportunity
	createdAt int64
	archived  *archiveState
	notes     []note
	feedback  []feedback
	files     []file
}

type archiveState struct {
	Reason     string `json:"reason"`
	ArchivedAt int64  `json:"archivedAt"`
}

func newAccount(id, token string, opts Options) *account {
	a := &account{
		id:       id,
		token:    token,
		postings: map[string]Posting{},
		opps:     map[string]*opportunity{},
		stats:    CallStats{ByRoute: map[string]int{}},
		reasons:  defaultArchiveReasons(),
	}
	if opts.Rate > 0 {
		a.limiter = rate.NewLimiter(rate.Limit(opts.Rate), opts.Burst)
	}
	return a
}

// mustAccount returns the account; seeding an unknown account is a test bug.
func (s *Server) mustAccount(accountID string) *account {
	a, ok := s.accounts[accountID]
	if !ok {
		panic(fmt.Sprintf("leversim: unknown account %q: call AddAccount first", accountID))
	}
	return a
}

// AddUser adds (or replaces) a user. Like every seeding method it panics if the account
// was not added first: that is a bug in the test.
func (s *Server) AddUser(accountID string, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.mustAccount(accountID)
	a.users = slices.DeleteFunc(a.users, func(x User) bool { return x.ID == u.ID })
	a.users = append(a.users, u)
}

// AddStage adds (or renames) a stage.
func (s *Server) AddStage(accountID, id, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.mustAccount(accountID)
	for i := range a.stages {
		if a.stages[i].ID == id {
			a.stages[i].Text = text
			return
		}
	}
	a.stages = append(a.stages, leverapi.Stage{ID: id, Text: text})
}

// AddPosting adds (or replaces) a posting.
func (s *Server) AddPosting(accountID string, p Posting) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Tags = slices.Clone(p.Tags)
	p.Fields = maps.Clone(p.Fields)
	s.mustAccount(accountID).postings[p.ID] = p
}

// Posting returns the posting as the simulator holds it.
func (s *Server) Posting(accountID, id string) (Posting, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.mustAccount(accountID).postings[id]
	p.Tags, p.Fields = slices.Clone(p.Tags), maps.Clone(p.Fields)
	return p, ok
}

// AddOpportunity adds (or replaces) an opportunity.
func (s *Server) AddOpportunity(accountID string, o Opportunity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.ContactID == "" {
		o.ContactID = "contact-" + o.ID
	}
	o.Emails, o.Tags = slices.Clone(o.Emails), slices.Clone(o.Tags)
	s.mustAccount(accountID).opps[o.ID] = &opportunity{Opportunity: o, createdAt: nowMillis()}
}

func (a *account) user(id string) (User, bool) {
	for _, u := range a.users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}

func (a *account) stage(id string) bool {
	return slices.ContainsFunc(a.stages, func(st leverapi.Stage) bool { return st.ID == id })
}

func (a *account) template(id string) *template {
	for _, t := range a.templates {
		if t.ID == id {
			return t
		}
	}
	return nil
}
