package activities

import "testing"

func TestOptionFor(t *testing.T) {
	lever := []string{"4 - Strong Hire", "3 - Hire", "2 - No Hire", "1 - Strong No Hire"}
	tests := []struct {
		name    string
		options []string
		value   int
		label   string
		want    string
		ok      bool
	}{
		{"exact", lever, 3, "Hire", "3 - Hire", true},
		{"exact other", lever, 1, "Strong No Hire", "1 - Strong No Hire", true},
		{"custom label, same number", lever, 2, "Lean No", "2 - No Hire", true},
		{"numbers only", []string{"1", "2", "3", "4"}, 4, "Strong Hire", "4", true},
		{"other separator", []string{"4 – Strong Hire", "3 – Hire"}, 3, "Hire", "3 – Hire", true},
		{"labels only", []string{"Strong Hire", "Hire", "No Hire", "Strong No Hire"}, 3, "Hire", "Hire", true},
		{"labels only, no prefix confusion", []string{"Strong Hire", "Hire", "No Hire", "Strong No Hire"}, 2, "No Hire", "No Hire", true},
		{"no 12 for 1", []string{"12 - x"}, 1, "y", "", false},
		{"missing", lever[:2], 1, "Strong No Hire", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := optionFor(tt.options, tt.value, tt.label)
			if got != tt.want || ok != tt.ok {
				t.Errorf("optionFor: got %q %v, want %q %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
