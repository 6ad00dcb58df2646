// Package lever is a client for Lever's API v1 and a parser for Lever's webhooks.
//
// The client waits on a per-account rate limiter before every attempt and retries only
// where a repeat cannot write twice: see the retry rules on Client.
// Wire facts it relies on are collected in LEVER.md.
package lever
