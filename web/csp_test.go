package web

import (
	"io/fs"
	"regexp"
	"testing"
)

var scriptTag, srcAttr = regexp.MustCompile(`(?i)<script\b[^>]*>`), regexp.MustCompile(`(?i)\ssrc\s*=`)

// dataScript is a JSON-LD block (schema.org JobPosting): data the browser never runs, so
// the Content Security Policy does not apply to it.
var dataScript = regexp.MustCompile(`(?i)<script\s+type="application/ld\+json">`)

// The Content Security Policy forbids inline code and styles, so no template may hold an
// inline <script>, a style attribute or element, an on… handler or a javascript: URL.
func TestTemplatesNeedNoUnsafeInline(t *testing.T) {
	bad := []struct {
		re   *regexp.Regexp
		what string
	}{
		{regexp.MustCompile(`(?i)<script\b[^>]*>\s*[^<\s]`), "inline <script>"},
		{regexp.MustCompile(`(?i)\sstyle\s*=`), "style= attribute"},
		{regexp.MustCompile(`(?i)<style\b`), "<style> element"},
		{regexp.MustCompile(`(?i)\son[a-z]+\s*=`), "on… handler"},
		{regexp.MustCompile(`(?i)javascript:`), "javascript: URL"},
	}
	n := 0
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFiles.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		b = dataScript.ReplaceAll(b, []byte("<data-script>"))
		for _, tag := range scriptTag.FindAll(b, -1) {
			if !srcAttr.Match(tag) {
				t.Errorf("%s: <script> without src: %s", path, tag)
			}
		}
		for _, c := range bad {
			if loc := c.re.FindIndex(b); loc != nil {
				t.Errorf("%s: %s: %.80q", path, c.what, b[loc[0]:])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no templates found")
	}
	t.Logf("%d templates scanned", n)
}
