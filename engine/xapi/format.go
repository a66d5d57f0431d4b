package xapi

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The statement formats of GET /statements (Communication 2.1.3).
const (
	FormatExact     = "exact"
	FormatIDs       = "ids"
	FormatCanonical = "canonical"
)

// Formatted returns a stored statement in a format: exact as stored; ids
// with agents, groups, activities and the verb cut to their identities;
// canonical with each language map reduced to the entry best matching langs
// (from Accept-Language, most wanted first). The stored map is not changed.
func Formatted(st map[string]any, format string, langs []string) map[string]any {
	switch format {
	case FormatIDs:
		return idsStatement(st)
	case FormatCanonical:
		return canonical(st, langs, "").(map[string]any)
	}
	return st
}

func idsStatement(st map[string]any) map[string]any {
	out := make(map[string]any, len(st))
	for k, v := range st {
		switch k {
		case "actor", "authority":
			out[k] = idsAgent(v)
		case "verb":
			vb, _ := v.(map[string]any)
			out[k] = map[string]any{"id": vb["id"]}
		case "object":
			out[k] = idsObject(v)
		case "context":
			out[k] = idsContext(v)
		default:
			out[k] = v
		}
	}
	return out
}

func idsAgent(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for _, k := range []string{"objectType", "mbox", "mbox_sha1sum", "openid", "account"} {
		if x, ok := m[k]; ok {
			out[k] = x
		}
	}
	if m["objectType"] == "Group" && AgentKey(m) == "" {
		if members, ok := m["member"].([]any); ok {
			list := make([]any, len(members))
			for i, mem := range members {
				list[i] = idsAgent(mem)
			}
			out["member"] = list
		}
	}
	return out
}

func idsObject(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	switch str(m["objectType"]) {
	case "", "Activity":
		return map[string]any{"id": m["id"]}
	case "Agent", "Group":
		return idsAgent(m)
	case "SubStatement":
		return idsStatement(m)
	}
	return m
}

func idsContext(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		switch k {
		case "instructor", "team":
			out[k] = idsAgent(x)
		case "contextActivities":
			ca, _ := x.(map[string]any)
			cut := make(map[string]any, len(ca))
			for kind, list := range ca {
				items := asList(list)
				ids := make([]any, len(items))
				for i, a := range items {
					ids[i] = idsObject(a)
				}
				cut[kind] = ids
			}
			out[k] = cut
		default:
			out[k] = x
		}
	}
	return out
}

// canonical copies v with its language maps (display, name and description
// holding maps; extensions are left as they are) cut to one entry.
func canonical(v any, langs []string, key string) any {
	switch x := v.(type) {
	case map[string]any:
		if (key == "display" || key == "name" || key == "description") && isLangMap(x) {
			if tag := BestLanguage(x, langs); tag != "" {
				return map[string]any{tag: x[tag]}
			}
			return x
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			if k == "extensions" {
				out[k] = val
				continue
			}
			out[k] = canonical(val, langs, k)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = canonical(val, langs, key)
		}
		return out
	}
	return v
}

func isLangMap(m map[string]any) bool {
	for _, v := range m {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return len(m) > 0
}

// BestLanguage picks the key of a language map that best fits langs: an
// exact tag, then one sharing the primary language, else the first key in
// order (so the answer is stable).
func BestLanguage(m map[string]any, langs []string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, want := range langs {
		for _, k := range keys {
			if strings.EqualFold(k, want) {
				return k
			}
		}
		primary, _, _ := strings.Cut(want, "-")
		for _, k := range keys {
			p, _, _ := strings.Cut(k, "-")
			if strings.EqualFold(p, primary) {
				return k
			}
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

// AcceptLanguages reads an Accept-Language header into tags, most wanted first.
func AcceptLanguages(h string) []string {
	type tag struct {
		name string
		q    float64
	}
	var tags []tag
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if name == "" || name == "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		tags = append(tags, tag{name, q})
	}
	slices.SortStableFunc(tags, func(a, b tag) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.name
	}
	return out
}

// Clone deep-copies a decoded JSON value.
func Clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = Clone(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = Clone(val)
		}
		return out
	case json.Number:
		return x
	}
	return v
}

// MergeDefinition folds a newer activity definition into an older one:
// language maps (name, description) and extensions gain the new entries,
// every other property takes the new value (Communication 2.5: the activity
// holds what all statements said of it).
func MergeDefinition(old, new map[string]any) map[string]any {
	out := make(map[string]any, len(old)+len(new))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range new {
		nm, newIsMap := v.(map[string]any)
		om, oldIsMap := out[k].(map[string]any)
		if newIsMap && oldIsMap && (k == "name" || k == "description" || k == "extensions") {
			merged := make(map[string]any, len(om)+len(nm))
			for kk, vv := range om {
				merged[kk] = vv
			}
			for kk, vv := range nm {
				merged[kk] = vv
			}
			out[k] = merged
			continue
		}
		out[k] = v
	}
	return out
}
