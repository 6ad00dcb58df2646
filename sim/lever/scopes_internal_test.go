package lever

import "testing"

// TestEveryRouteHasAScope: a route added without a scope would refuse every OAuth token.
func TestEveryRouteHasAScope(t *testing.T) {
	for _, rt := range routeTable() {
		if RouteScope(rt.label()) == "" {
			t.Errorf("route %s: got no scope in routeScopes, want Lever's scope for it", rt.label())
		}
	}
	if n, want := len(routeScopes), len(routeTable()); n != want {
		t.Errorf("routeScopes: got %d entries, want one per route (%d)", n, want)
	}
}
