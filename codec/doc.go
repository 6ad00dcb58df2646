// Package codec keeps workflow payloads (candidate names, emails, scores) out of Temporal's
// database in plaintext: an AES-256-GCM payload codec with key ids for rotation, the data
// converter that applies it, and the remote codec HTTP endpoint through which the Temporal Web
// UI and CLI show decoded payloads to an authorized operator.
//
// Search attributes, workflow ids and failure messages are not payloads and stay readable;
// keep candidate data out of them.
package codec
