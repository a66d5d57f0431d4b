package lrs

import (
	"encoding/json"
	"net/http"
	"strings"

	"jobbridge/engine"
)

// FetchPrefix is where the one-time fetch URLs of cmi5 launches live (cmi5 §8.2).
const FetchPrefix = "/cmi5/fetch/"

// Fetch answers an AU's POST to its launch's fetch URL (cmi5 §8.2.3):
// {"auth-token": …} the first time, the cmi5 error object (error-code 1)
// after that or for an unknown or expired URL.
func (h *Handler) Fetch(w http.ResponseWriter, r *http.Request) {
	cors(w, r)
	w.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	answer := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		answer(http.StatusMethodNotAllowed, map[string]string{"error-code": "3", "error-text": "the fetch URL takes POST (cmi5 §8.2.3)"})
		return
	}
	token, err := h.LRS.FetchAuthToken(r.Context(), strings.TrimPrefix(r.URL.Path, FetchPrefix))
	switch engine.ErrorCode(err) {
	case "":
		answer(http.StatusOK, map[string]string{"auth-token": token})
	case engine.ECONFLICT:
		answer(http.StatusOK, map[string]string{"error-code": "1", "error-text": err.Error()})
	default:
		h.Log.Error("cmi5 fetch", "err", err)
		answer(http.StatusInternalServerError, map[string]string{"error-code": "3", "error-text": "internal error"})
	}
}
