package engine

import (
	"strconv"
	"strings"
)

// OperatorKey finds the first object key in decoded JSON that could act as a
// MongoDB operator or path — one that starts with $ or contains a dot — and
// returns its path ("" when there is none). Dots are allowed in the keys of
// an object under a key named dotsAllowedUnder (xAPI's "extensions", whose
// keys are IRIs); "" allows them nowhere.
func OperatorKey(v any, dotsAllowedUnder string) string {
	return operatorKey(v, "", dotsAllowedUnder, false)
}

func operatorKey(v any, path, dotsAllowedUnder string, dotsOK bool) string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.HasPrefix(k, "$") || (!dotsOK && strings.Contains(k, ".")) {
				return p
			}
			if f := operatorKey(e, p, dotsAllowedUnder, dotsAllowedUnder != "" && k == dotsAllowedUnder); f != "" {
				return f
			}
		}
	case []any:
		for i, e := range x {
			if f := operatorKey(e, path+"["+strconv.Itoa(i)+"]", dotsAllowedUnder, false); f != "" {
				return f
			}
		}
	}
	return ""
}
