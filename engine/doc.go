// Package engine is jobbridge's domain: the records a district disability
// employment service keeps, their validation, the matching rules, and the
// interfaces (Store, Index, Clock) that the infrastructure packages implement.
// It imports the standard library only.
package engine
