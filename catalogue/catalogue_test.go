package catalogue_test

import (
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/catalogue"
	"github.com/assessbridge/assessbridge/store"
)

var list = []store.Assessment{
	{ID: "as-go", Title: "Go Basics"},
	{ID: "as-py", Title: "Python"},
	{ID: "as-sre", Title: "SRE Interview"},
}

func TestForCandidate(t *testing.T) {
	c := catalogue.New(list)
	tests := []struct {
		name   string
		tags   []string
		wantID string
		tag    string
	}{
		{"exact title", []string{"Go Basics"}, "as-go", "Go Basics"},
		{"case and spaces ignored", []string{"  go basics "}, "as-go", "  go basics "},
		{"first matching tag wins", []string{"referral", "PYTHON", "Go Basics"}, "as-py", "PYTHON"},
		{"title beats an earlier journey's status tag", []string{"Python - Expired", "go basics"}, "as-go", "go basics"},
		{"status tag of an earlier journey", []string{"Python - Expired"}, "as-py", "Python - Expired"},
		{"id is not a candidate tag", []string{"as-go"}, "", ""},
		{"no tags", nil, "", ""},
		{"our own not-set tag", []string{"Assessment - Not set"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.ForCandidate(tt.tags)
			if got.Assessment.ID != tt.wantID || got.Tag != tt.tag {
				t.Fatalf("got %+v, want %s by tag %q", got, tt.wantID, tt.tag)
			}
			if tt.wantID != "" && got.Source != catalogue.SourceCandidateTag {
				t.Errorf("source %q", got.Source)
			}
		})
	}
}

func TestForPosting(t *testing.T) {
	c := catalogue.New(list)
	tests := []struct {
		name      string
		tags      []string
		mapped    string
		wantID    string
		source    string
		missingID string
	}{
		{"title tag", []string{"remote", "python"}, "", "as-py", catalogue.SourcePostingTitle, ""},
		{"title tag beats id tag and mapping", []string{"assessment:as-sre", "Go Basics"}, "as-py", "as-go", catalogue.SourcePostingTitle, ""},
		{"prefixed id tag", []string{"assessment:as-sre"}, "", "as-sre", catalogue.SourcePostingID, ""},
		{"prefix in any case", []string{"Assessment: as-sre"}, "", "as-sre", catalogue.SourcePostingID, ""},
		{"bare id tag", []string{"as-py"}, "", "as-py", catalogue.SourcePostingID, ""},
		{"id tag beats mapping", []string{"assessment:as-sre"}, "as-go", "as-sre", catalogue.SourcePostingID, ""},
		{"unknown id tag falls through to mapping", []string{"assessment:gone"}, "as-go", "as-go", catalogue.SourceMapping, ""},
		{"mapping", nil, "as-go", "as-go", catalogue.SourceMapping, ""},
		{"mapping to an assessment the catalogue lost", nil, "as-gone", "", "", "as-gone"},
		{"nothing", []string{"remote"}, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.ForPosting(tt.tags, tt.mapped)
			if got.Assessment.ID != tt.wantID || got.Source != tt.source || got.MissingID != tt.missingID {
				t.Fatalf("got %+v, want %q by %q (missing %q)", got, tt.wantID, tt.source, tt.missingID)
			}
			if got.Chosen() != (tt.wantID != "") {
				t.Errorf("Chosen() = %v", got.Chosen())
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		list []store.Assessment
		want []string // substrings of the error; nil: accepted
	}{
		{"distinct titles", list, nil},
		{"empty", nil, nil},
		{"case differs", append(list[:1:1], store.Assessment{ID: "as-go2", Title: "go basics"}), []string{`"Go Basics" and "go basics"`, "rename one"}},
		{"spaces differ", []store.Assessment{{ID: "a", Title: "SQL"}, {ID: "b", Title: " SQL "}}, []string{`" SQL " and "SQL"`}},
		{"same title twice", []store.Assessment{{ID: "a", Title: "SQL"}, {ID: "b", Title: "SQL"}}, []string{`"SQL" and "SQL"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := catalogue.Check(tt.list)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestOurPostingTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"assessment:as-go": true, "Assessment:as-go": true, " assessment:x ": true,
		"assessment:": false, "as-go": false, "Go Basics": false,
	} {
		if got := catalogue.IsOurPostingTag(tag); got != want {
			t.Errorf("IsOurPostingTag(%q) = %v, want %v", tag, got, want)
		}
	}
	if got := catalogue.PostingTag("as-go"); got != "assessment:as-go" {
		t.Errorf("PostingTag: %q", got)
	}
}
