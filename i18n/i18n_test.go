package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every message exists in both catalogues.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	c := MustLoad()
	for _, k := range c.Keys(Chinese) {
		if !c.Has(English, k) {
			t.Errorf("%s is in Chinese but not in English", k)
		}
	}
	for _, k := range c.Keys(English) {
		if !c.Has(Chinese, k) {
			t.Errorf("%s is in English but not in Chinese", k)
		}
	}
}

// Every key a template or Go file names literally exists.
func TestEveryUsedKeyExists(t *testing.T) {
	c := MustLoad()
	re := regexp.MustCompile(`(?:\.T|\$\.T|fugong\.M|Errorf\([^,]+,|Add\("[^"]+",|Conflict\(|p\.T\(|T\(p\.Lang,|"key":)\s*\(?"([a-z_]+\.[a-z_0-9.]+)"`)
	root := ".."
	found := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == ".git" || d.Name() == "static") {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return err
		}
		if filepath.Ext(p) != ".go" && filepath.Ext(p) != ".html" {
			return nil
		}
		b, _ := os.ReadFile(p)
		for _, m := range re.FindAllSubmatch(b, -1) {
			found++
			if strings.HasSuffix(string(m[1]), "_") || strings.HasSuffix(string(m[1]), ".") {
				continue // a prefix completed at run time
			}
			if !c.Has(Chinese, string(m[1])) {
				t.Errorf("%s uses %q, which no catalogue has", p, m[1])
			}
		}
		return nil
	})
	if found < 100 {
		t.Fatalf("only %d uses of catalogue keys found: the scan is broken", found)
	}
}
