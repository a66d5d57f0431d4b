package engine

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// demoCourse is a cmi5.xml with a block, as authoring tools write it.
const demoCourse = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://lms.example.cn/course/excel">
    <title><langstring lang="en-US">Spreadsheets</langstring><langstring lang="zh-CN">电子表格</langstring></title>
    <description><langstring lang="zh-CN">入门</langstring></description>
  </course>
  <au id="https://lms.example.cn/course/excel/au/intro" moveOn="NotApplicable">
    <title><langstring lang="zh-CN">介绍</langstring></title>
    <url>intro/index.html</url>
  </au>
  <block id="https://lms.example.cn/course/excel/block/1">
    <title><langstring lang="en-US">Basics</langstring></title>
    <au id="https://lms.example.cn/course/excel/au/keyboard" moveOn="Completed">
      <title><langstring lang="en-US">Keyboard</langstring></title>
      <url>https://cdn.example.cn/au/keyboard.html</url>
    </au>
    <au id="https://lms.example.cn/course/excel/au/quiz" moveOn="CompletedAndPassed" masteryScore="0.8">
      <title><langstring lang="zh-CN">测验</langstring></title>
      <url>quiz.html</url>
    </au>
  </block>
</courseStructure>`

func TestParseCourseStructure(t *testing.T) {
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("cmi5.xml")
	w.Write([]byte(demoCourse))
	w, _ = zw.Create("intro/index.html")
	w.Write([]byte("<html></html>"))
	zw.Close()
	for name, data := range map[string][]byte{"cmi5.xml": []byte(demoCourse), "a zip": zipped.Bytes()} {
		t.Run(name, func(t *testing.T) {
			cs, err := ParseCourseStructure(data)
			if err != nil {
				t.Fatal(err)
			}
			if cs.CourseID != "https://lms.example.cn/course/excel" || cs.Title != "电子表格" || len(cs.AUs) != 3 {
				t.Fatalf("%+v", cs)
			}
			if a := cs.AUs[0]; a.MoveOn != "NotApplicable" || a.Title != "介绍" || a.URL != "intro/index.html" {
				t.Fatalf("AU 1 %+v", a)
			}
			if a := cs.AUs[2]; a.MoveOn != "CompletedAndPassed" || a.MasteryScore == nil || *a.MasteryScore != 0.8 {
				t.Fatalf("AU 3 %+v", a)
			}
		})
	}
	for _, tt := range []struct{ name, xml, field string }{
		{"not XML", "hello", "body"},
		{"no AU", `<courseStructure><course id="https://x.example/c"/></courseStructure>`, "au"},
		{"a course id that is no IRI", strings.Replace(demoCourse, `course id="https://lms.example.cn/course/excel"`, `course id="excel"`, 1), "course.id"},
		{"a bad moveOn", strings.Replace(demoCourse, `moveOn="Completed"`, `moveOn="Done"`, 1), "au[1].moveOn"},
		{"a mastery score above 1", strings.Replace(demoCourse, `masteryScore="0.8"`, `masteryScore="80"`, 1), "au[2].masteryScore"},
		{"an AU twice", strings.Replace(demoCourse, "au/quiz", "au/keyboard", 1), "au[2].id"},
		{"an AU without url", strings.Replace(demoCourse, "<url>quiz.html</url>", "", 1), "au[2].url"},
	} {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			_, err := ParseCourseStructure([]byte(tt.xml))
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID || !strings.Contains(e.Error(), tt.field) {
				t.Fatalf("want EINVALID naming %s, got %v", tt.field, err)
			}
		})
	}
}

func TestApplyCourseStructure(t *testing.T) {
	cs, err := ParseCourseStructure([]byte(demoCourse))
	if err != nil {
		t.Fatal(err)
	}
	c := &Class{Meta: Meta{ID: "c-x"}, Modules: []Module{{ID: "kb", Title: "旧", Required: true, ActivityID: "https://lms.example.cn/course/excel/au/keyboard"},
		{ID: "au-1", Title: "占用"}}}
	c.ApplyCourseStructure(cs)
	if c.ActivityID != cs.CourseID || len(c.Modules) != 3 {
		t.Fatalf("%+v", c)
	}
	ids := []string{c.Modules[0].ID, c.Modules[1].ID, c.Modules[2].ID}
	if ids[0] != "au-2" || ids[1] != "kb" || ids[2] != "au-3" {
		t.Fatalf("module ids %v: the keyboard AU keeps kb, new ones take free au-N", ids)
	}
	if c.Modules[0].Required || !c.Modules[1].Required || c.Modules[1].Title != "Keyboard" || c.Modules[2].LaunchURL != "quiz.html" {
		t.Fatalf("modules %+v", c.Modules)
	}
	c.Normalize()
	if err := c.Validate(func(string) bool { return true }); err != nil && strings.Contains(err.Error(), "modules") {
		t.Fatalf("the imported modules do not validate: %v", err)
	}
}
