// Package hostile holds tests of the HTTP front door under hostile load: hundreds of slow
// clients against the server exactly as service.Serve runs it, and checks that every fuzz target
// runs in `make fuzz`. It has no code of its own; it lives apart because service imports web.
package hostile
