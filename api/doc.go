// Package api is jobbridge's HTTP edge: the gin JSON API under /api/v1, its
// authentication and one role policy, and the health endpoints. Handlers decode,
// call the engine, and answer through one response helper.
package api
