package assessment

import (
	"net/http"
	"testing"
	"time"
)

func TestClientTimeout(t *testing.T) {
	noTimeout := &http.Client{}
	tests := []struct {
		name string
		opts []ClientOption
		want time.Duration
	}{
		{"default", nil, defaultTimeout},
		{"nil client ignored", []ClientOption{WithHTTPClient(nil)}, defaultTimeout},
		{"custom kept", []ClientOption{WithHTTPClient(&http.Client{Timeout: time.Second})}, time.Second},
		{"none gets default", []ClientOption{WithHTTPClient(noTimeout)}, defaultTimeout},
	}
	for _, tt := range tests {
		c, err := NewClient("https://platform.example/api", "k", tt.opts...)
		if err != nil {
			t.Fatalf("%s: NewClient error = %v, want nil", tt.name, err)
		}
		if c.hc.Timeout != tt.want {
			t.Errorf("%s: timeout = %v, want %v", tt.name, c.hc.Timeout, tt.want)
		}
	}
	if noTimeout.Timeout != 0 {
		t.Errorf("caller's client timeout = %v, want it untouched (0)", noTimeout.Timeout)
	}
}
