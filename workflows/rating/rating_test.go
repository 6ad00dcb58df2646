package rating

import (
	"errors"
	"math"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestRateDefaultBands(t *testing.T) {
	tests := []struct {
		name       string
		score, max *float64
		want       int
		wantLabel  string
		wantErr    error
	}{
		{"zero", f(0), f(100), 1, "Strong No Hire", nil},
		{"34", f(34), f(100), 1, "Strong No Hire", nil},
		{"34.99 stays below the 35 edge", f(34.99), f(100), 1, "Strong No Hire", nil},
		{"35", f(35), f(100), 2, "No Hire", nil},
		{"49", f(49), f(100), 2, "No Hire", nil},
		{"49.5 stays below the 50 edge", f(49.5), f(100), 2, "No Hire", nil},
		{"50", f(50), f(100), 3, "Hire", nil},
		{"74", f(74), f(100), 3, "Hire", nil},
		{"74.999", f(74.999), f(100), 3, "Hire", nil},
		{"75", f(75), f(100), 4, "Strong Hire", nil},
		{"100", f(100), f(100), 4, "Strong Hire", nil},
		{"fraction of another max: 7 of 20 is 35 %", f(7), f(20), 2, "No Hire", nil},
		{"fraction of another max: 1 of 3 is 33.3 %", f(1), f(3), 1, "Strong No Hire", nil},
		{"fraction of another max: 3 of 4 is 75 %", f(3), f(4), 4, "Strong Hire", nil},
		{"missing score", nil, f(100), 0, "", ErrMissingScore},
		{"missing max", f(50), nil, 0, "", ErrMissingScore},
		{"negative", f(-1), f(100), 0, "", ErrOutOfRange},
		{"above max", f(101), f(100), 0, "", ErrOutOfRange},
		{"zero max", f(0), f(0), 0, "", ErrOutOfRange},
		{"negative max", f(-5), f(-10), 0, "", ErrOutOfRange},
		{"NaN", f(math.NaN()), f(100), 0, "", ErrOutOfRange},
		{"Inf max", f(5), f(math.Inf(1)), 0, "", ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rate(tt.score, tt.max, nil)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Rate error: got %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got.Value != tt.want || got.Label != tt.wantLabel {
				t.Errorf("Rate: got %d %q, want %d %q", got.Value, got.Label, tt.want, tt.wantLabel)
			}
		})
	}
}

func TestOptionText(t *testing.T) {
	got, err := Rate(f(60), f(100), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.OptionText() != "3 - Hire" {
		t.Errorf("OptionText: got %q, want %q", got.OptionText(), "3 - Hire")
	}
	if got.Percent != 60 {
		t.Errorf("Percent: got %g, want 60", got.Percent)
	}
}

func TestCustomBandsUnsorted(t *testing.T) {
	bands := []Band{
		{MinPercent: 80, Rating: 4, Label: "Strong Hire"},
		{MinPercent: 0, Rating: 1, Label: "Strong No Hire"},
		{MinPercent: 60, Rating: 3, Label: "Hire"},
	}
	for _, tt := range []struct {
		score float64
		want  int
	}{{59.9, 1}, {60, 3}, {79.99, 3}, {80, 4}} {
		got, err := Rate(f(tt.score), f(100), bands)
		if err != nil {
			t.Fatal(err)
		}
		if got.Value != tt.want {
			t.Errorf("Rate(%g): got %d, want %d", tt.score, got.Value, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		bands []Band
		ok    bool
	}{
		{"default", DefaultBands(), true},
		{"empty", nil, false},
		{"gap at bottom", []Band{{MinPercent: 10, Rating: 1, Label: "x"}}, false},
		{"duplicate edge", []Band{{0, 1, "a"}, {50, 2, "b"}, {50, 3, "c"}}, false},
		{"edge above 100", []Band{{0, 1, "a"}, {101, 2, "b"}}, false},
		{"rating 5", []Band{{0, 5, "a"}}, false},
		{"no label", []Band{{0, 1, ""}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.bands)
			if (err == nil) != tt.ok {
				t.Errorf("Validate: got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
