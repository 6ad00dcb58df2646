package lever

import "testing"

func TestEndpointOf(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/opportunities/opp-1", "/opportunities/:id"},
		{"/opportunities/opp-1/notes", "/opportunities/:id/notes"},
		{"/opportunities/opp%2F1/addTags", "/opportunities/:id/addTags"},
		{"/feedback_templates", "/feedback_templates"},
		{"/feedback_templates/t-9", "/feedback_templates/:id"},
		{"/stages", "/stages"},
		{"/webhooks/w-1", "/webhooks/:id"},
	}
	for _, tt := range tests {
		if got := endpointOf(tt.path); got != tt.want {
			t.Errorf("endpointOf(%q): got %q, want %q", tt.path, got, tt.want)
		}
	}
}
