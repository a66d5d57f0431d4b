package engine

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzValidate: the validators never panic on any record a JSON body can
// make, and refuse with EINVALID naming at least one field, each with a
// message. Seeded with the demo records (one of each kind, valid) and the
// hostile test's inputs spliced into them.
func FuzzValidate(f *testing.F) {
	kinds := []Kind{KindSeeker, KindPost, KindClass, KindEmployer, KindSkill, KindUser}
	for i, name := range []string{"03-seekers", "04-posts", "05-classes", "02-employers", "01-skills", "06-users"} {
		file, err := os.Open("../fixtures/data/" + name + ".ndjson")
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(nil, 1<<20)
		sc.Scan()
		line := sc.Text()
		file.Close()
		f.Add(uint8(i), []byte(line))
		for _, bad := range []string{"\x00", "\u202e", "\u200b", "\xff", strings.Repeat("长", 5000), "\n"} {
			f.Add(uint8(i), []byte(strings.Replace(line, `":"`, `":"`+bad, 3)))
		}
		f.Add(uint8(i), []byte(strings.ReplaceAll(line, `"lat":31.`, `"lat":1e308,"x":31.`)))
	}
	for i := range kinds {
		f.Add(uint8(i), []byte(`{}`))
		f.Add(uint8(i), []byte(`{"id":"../x","skills":[{"code":"","level":-9}],"hoursMax":-1}`))
	}
	today := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	exists := func(code string) bool { return code == "data-entry" || code == "office-software" }
	f.Fuzz(func(t *testing.T, k uint8, b []byte) {
		var err error
		switch kinds[int(k)%len(kinds)] {
		case KindSeeker:
			var v Seeker
			if json.Unmarshal(b, &v) != nil {
				return
			}
			v.Normalize()
			err = v.Validate(exists, today)
		case KindPost:
			var v Post
			if json.Unmarshal(b, &v) != nil {
				return
			}
			v.Normalize()
			err = v.Validate(exists)
		case KindClass:
			var v Class
			if json.Unmarshal(b, &v) != nil {
				return
			}
			v.Normalize()
			err = v.Validate(exists)
		case KindEmployer:
			var v Employer
			if json.Unmarshal(b, &v) != nil {
				return
			}
			err = v.Validate()
		case KindSkill:
			var v Skill
			if json.Unmarshal(b, &v) != nil {
				return
			}
			err = v.Validate()
		case KindUser:
			var v User
			if json.Unmarshal(b, &v) != nil {
				return
			}
			err = v.Validate()
		}
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) == 0 {
			t.Fatalf("%q: %v is not an EINVALID naming a field", b, err)
		}
		for _, fe := range e.Fields {
			if fe.Field == "" || fe.Message == "" {
				t.Fatalf("%q: field error %+v names no field or says nothing", b, fe)
			}
		}
	})
}
