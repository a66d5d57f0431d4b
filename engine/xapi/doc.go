// Package xapi holds what xAPI 1.0.3 itself says, apart from this service:
// the MUSTs a statement, an agent or a query parameter has to meet (with
// case-sensitive keys), the identity of agents (their IFI), what the
// statement index keys a statement by, and the ids/exact/canonical formats.
// Standard library only; engine's LRS and the /xapi/ edge use it.
package xapi
