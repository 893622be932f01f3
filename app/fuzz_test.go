package app_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"fugong"
	"fugong/api"
	"fugong/app/apptest"
	"fugong/xlsx"
)

// demoUser is a demo account of each role, to call an operation as a role it permits.
var demoUser = map[fugong.Role]string{fugong.RoleAdmin: "admin", fugong.RoleCommand: "command", fugong.RoleLeader: "leader01",
	fugong.RoleDepartment: "dept01", fugong.RoleTownship: "township01", fugong.RoleLiaison: "liaison001",
	fugong.RoleEnterprise: "enterprise001", fugong.RoleVillage: "village001"}

// FuzzAPIJSON posts arbitrary bytes to every API operation that reads a body, in process,
// as a role the operation permits: never a 500, and every rejection is a JSON error with
// a message.
func FuzzAPIJSON(f *testing.F) {
	env := apptest.New(f, "sqlite", apptest.Options{})
	type target struct{ method, path, token string }
	tokens := map[string]string{}
	var targets []target
	for _, op := range env.App.API.Ops {
		if op.Request == nil || op.Public {
			continue
		}
		role := fugong.RoleCommand
		if op.Roles != nil && !slices.Contains(op.Roles, role) {
			role = op.Roles[0]
		}
		user := demoUser[role]
		if tokens[user] == "" {
			tokens[user] = env.APIClient(f, user).Token
		}
		targets = append(targets, target{op.Method, strings.NewReplacer("{id}", "1", "{number}", "SQ-20200309-0001").Replace(op.Path), tokens[user]})
	}
	for i, seed := range []string{`{}`, `{"enterprise_id":1,"category":"supplies","description":"口罩","quantity":3}`, `[]`, `null`,
		`{"version":"x"}`, `{"name":"<script>alert(1)</script>","uscc":"' OR 1=1 --"}`, `{"quantity":1e400}`, "\xff\xfe", `{"a":` + strings.Repeat("[", 200)} {
		f.Add(uint8(i), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		tg := targets[int(which)%len(targets)]
		req := httptest.NewRequest(tg.method, tg.path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tg.token)
		req.RemoteAddr = "127.0.0.1:1"
		rec := httptest.NewRecorder()
		env.App.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s", tg.method, tg.path, body, rec.Code, rec.Body)
		}
		if rec.Code < 400 {
			return
		}
		var e api.ErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("%s %s with %q: %d answered %q, not a JSON error with a message", tg.method, tg.path, body, rec.Code, rec.Body)
		}
	})
}

// FuzzDemandImport uploads arbitrary files as a demand ledger (.xlsx when they look like
// a zip, else .csv): never a 500, never a demand raised by the preview.
func FuzzDemandImport(f *testing.F) {
	env := apptest.New(f, "sqlite", apptest.Options{})
	c := env.Login(f, "command")
	heads := []string{"统一社会信用代码", "企业名称", "诉求类别", "诉求内容", "数量", "明细", "紧急程度"}
	good, _ := xlsx.Build("诉求", heads, [][]any{{"", "慈利联兴新材料科技有限公司", "supplies", "口罩300个", "300", "口罩", "紧急"}})
	f.Add(good)
	f.Add([]byte(strings.Join(heads, ",") + "\n,慈利联兴新材料科技有限公司,supplies,口罩300个,300,口罩,一般\n,无此企业,???,,-1,,特急\n"))
	f.Add([]byte("诉求类别,诉求内容\n\"<script>\",\"=cmd|' /C calc'!A0\"\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	count := func() int {
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands`).Scan(&n)
		return n
	}
	before := count()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8<<10 || bytes.Count(data, []byte("\n")) > 40 {
			t.Skip("large ledgers are the import's throughput, not its parsing") // each row costs a duplicate check
		}
		name := "诉求.csv"
		if bytes.HasPrefix(data, []byte("PK")) {
			name = "诉求.xlsx"
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", c.CSRF)
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", env.URL+"/demands/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := c.HTTP.Do(req) // c.Do would call the F's Helper from inside the fuzz function
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("import of %q: %d", data, res.StatusCode)
		}
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("import of %q: %d, want a preview or the bad cells", data, res.StatusCode)
		}
		if n := count(); n != before {
			t.Fatalf("a preview raised %d demands", n-before)
		}
	})
}
