package api

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readCatalog reads one language's message ids.
func readCatalog(t *testing.T, lang string) map[string]bool {
	t.Helper()
	b, err := localeFS.ReadFile("locales/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	ids := map[string]bool{}
	for id := range raw {
		ids[id] = true
	}
	return ids
}

// templateArg is a value a message interpolates: {{.Name}}.
var templateArg = regexp.MustCompile(`\{\{\.(\w+)\}\}`)

var (
	// {{t "id" …}} in templates, with or without a leading ( or pipe.
	templateKey = regexp.MustCompile(`[({ ]t "([^"]+)"`)
	// Message ids in the Go code of the pages: view titles and direct lookups.
	goKey = regexp.MustCompile(`(?:view\(c, |T\((?:lang|v\.Lang), |titleID(?: :)?= )"([a-zA-Z][a-zA-Z0-9]*\.[a-zA-Z0-9.]*[a-zA-Z0-9])"`)
	// Any other quoted dotted id in the pages' Go files that names a message family.
	goNav = regexp.MustCompile(`"((?:nav|err)\.[a-zA-Z]+)"`)
)

// usedKeys collects every message id the templates and page code name literally.
func usedKeys(t *testing.T) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	add := func(id, where string) { used[id] = append(used[id], where) }
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			add(m[1], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("pages*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, re := range []*regexp.Regexp{goKey, goNav} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				add(m[1], f)
			}
		}
	}
	for _, fm := range fieldMessages {
		add(fm.id, "fieldMessages")
	}
	for family, values := range enumFamilies() {
		for _, v := range values {
			add(family+"."+v, "enum family "+family)
		}
	}
	return used
}

// TestMessageCatalogs fails when a page uses a message id that either
// language lacks, or when the two catalogs do not hold the same ids.
func TestMessageCatalogs(t *testing.T) {
	cats := map[string]map[string]bool{}
	for _, l := range pageLangs {
		cats[l] = readCatalog(t, l)
	}
	used := usedKeys(t)
	if len(used) < 100 {
		t.Fatalf("found only %d message ids in use: the scan is broken", len(used))
	}
	for id, where := range used {
		for _, l := range pageLangs {
			if !cats[l][id] {
				t.Errorf("message %q (used in %s) is missing in %s", id, strings.Join(slices.Compact(where), ", "), l)
			}
		}
	}
	for _, a := range pageLangs {
		for _, b := range pageLangs {
			for id := range cats[a] {
				if !cats[b][id] {
					t.Errorf("message %q is in %s but not in %s", id, a, b)
				}
			}
		}
	}
}

// TestMessagesRender renders every message of both catalogs with sample
// data: a template error or a plural form missing in English fails.
func TestMessagesRender(t *testing.T) {
	cat, err := newCatalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A message is plural when any language gives it plural forms (Chinese has one form only).
	plurals := map[string]bool{}
	raws := map[string]map[string]any{}
	for _, l := range pageLangs {
		b, _ := localeFS.ReadFile("locales/" + l + ".json")
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		raws[l] = raw
		for id, msg := range raw {
			if _, isObj := msg.(map[string]any); isObj {
				plurals[id] = true
			}
		}
	}
	for _, l := range pageLangs {
		for id := range raws[l] {
			plural := plurals[id]
			var args []any
			for _, m := range templateArg.FindAllStringSubmatch(fmt.Sprint(raws[l][id]), -1) {
				if m[1] != "Count" {
					args = append(args, m[1], 2)
				}
			}
			for _, n := range []int{1, 2} {
				a := args
				if plural {
					a = append(a, "Count", n)
				}
				s := cat.T(l, id, a...)
				if strings.Contains(s, missingMark) || strings.Contains(s, "<no value>") {
					t.Errorf("%s %s with Count %d: %q", l, id, n, s)
				}
			}
		}
	}
}

func TestFieldMessagesTranslateEngineMessages(t *testing.T) {
	cat, err := newCatalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	for msg, want := range map[string]string{
		"is required":                             "必须填写。",
		"must be between 0 and 240":               "必须在 0 到 240 之间。",
		"checksum does not match (GB 11643)":      "校验位不正确，请核对号码。",
		`unknown skill "zz"`:                      "技能目录中没有“zz”。",
		"must be inside Shanghai (30.6–31.9)":     "必须在上海范围内（30.6–31.9）。",
		"needs at least one mode unless remoteOK": "至少选择一种出行方式，或勾选“可以远程工作”。",
	} {
		got, ok := cat.fieldMessage(langZh, msg)
		if !ok || got != want {
			t.Errorf("%q → %q (%v), want %q", msg, got, ok, want)
		}
	}
}

// TestCollation: Chinese lists go by pinyin with Han before Latin script, as
// CLDR's zh collation (and browsers' Intl.Collator) order them; English alphabetically.
func TestCollation(t *testing.T) {
	for _, tc := range []struct {
		lang     string
		in, want []string
	}{
		{langZh, []string{"视频剪辑", "CAD 制图", "图片修图", "安保", "摄影", "办公软件", "平面设计"},
			[]string{"安保", "办公软件", "平面设计", "摄影", "视频剪辑", "图片修图", "CAD 制图"}},
		{langEn, []string{"Video editing", "CAD drafting", "braille", "Assembly"},
			[]string{"Assembly", "braille", "CAD drafting", "Video editing"}},
	} {
		got := slices.Clone(tc.in)
		slices.SortFunc(got, collation(tc.lang))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
}
