// Package store is jobbridge's system of record: it implements engine.Store on
// the MongoDB driver, against MongoDB 7 or the embedded FerretDB alike, and keeps
// resident IDs and certificate numbers encrypted at rest.
package store
