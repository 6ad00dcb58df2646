// Package leverauth connects a Lever account through Lever's OAuth 2.0 authorization-code
// flow for partner apps (with PKCE), and keeps its access token fresh: one refresh at a time
// per account across every worker process, with the rotated refresh token saved in the same
// transaction that held the account's lock. Wire facts are in LEVER.md, "OAuth 2.0".
package leverauth
