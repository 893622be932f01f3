package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/demo"
)

// markup is a name an attacker might give an enterprise.
const markup = `<script>alert("x")</script><img src=x onerror=alert(1)>`

// A name holding markup shows as text on every page that shows it.
func TestMarkupInNamesShowsAsText(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "test"})
	e := fugong.Enterprise{County: demo.County, Name: markup, USCC: demo.USCC(demo.County, 9999, false), Township: "430821001000", FocusArea: "园区企业", Status: fugong.StatusResumed}
	if err := env.App.DB.CreateEnterpriseTx(ctx, env.App.DB.W, &e); err != nil {
		t.Fatal(err)
	}
	c := env.Login(t, "command")
	for _, p := range []string{"/enterprises?q=script", "/enterprises/" + strconv.FormatInt(e.ID, 10), "/audit?entity=enterprises"} {
		status, body := c.Page(p)
		if status != 200 {
			t.Fatalf("%s: %d", p, status)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s shows the name as markup", p)
		}
		if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(body, `\u003cscript\u003e`) && !strings.Contains(body, "&#34;&lt;script") {
			t.Errorf("%s does not show the name at all", p)
		}
	}
}
