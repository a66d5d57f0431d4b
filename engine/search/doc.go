// Package search is the Bleve index of posts, classes and seekers: full-text
// search (Chinese bigrams and English), filters, geo distance and facets. It
// implements engine.Index and follows the store through the change feed.
package search
