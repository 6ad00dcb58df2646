// Package envaccount configures, from the environment alone, the Lever account of a company that
// runs assessbridge for itself: account config.EnvAccountID ("default", webhooks at
// /webhooks/lever/default) with a Lever API key, the signature tokens of the webhooks made by hand
// in Lever's settings, the trigger stages, the user writes are performed as and, optionally, what
// happens when a candidate submits (config.Completion). Stage and archive reason names and a user's
// email are resolved through Lever at start, and every problem is reported at once. Accounts
// connected with OAuth on the admin page live beside it untouched.
package envaccount
