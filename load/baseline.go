package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// Baseline measures the ceiling of this machine for the same client and the same kind of
// request: a minimal Go net/http server that decodes a ~300-byte JSON body and answers
// 201 with JSON, touching no database. Every other figure is also quoted as a share of it.
func Baseline(ctx context.Context, c Config, log io.Writer) (Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/auth/token" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"token":"baseline","expires_at":"2020-03-10T08:00:00+08:00"}`)
			return
		}
		if r.URL.Path == "/api/v1/me" {
			io.WriteString(w, `{"id":1}`)
			return
		}
		var v map[string]any
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		v["id"] = 1
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(b)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	c.Target = "http://" + ln.Addr().String()
	c.Mix = "baseline_post=1"
	c.Accounts = 1
	fmt.Fprintf(log, "baseline: minimal net/http + JSON on %s\n", c.Target)
	res, err := Run(ctx, c, io.Discard)
	if err != nil {
		return Result{}, err
	}
	return res[0], nil
}

var baselineOp = Op{Name: "baseline_post", Role: "enterprise", Want: http.StatusCreated,
	Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
		return "POST", "/baseline", map[string]any{
			"enterprise_id": a.EnterpriseID, "category": "防疫物资", "quantity": 300, "urgency": "urgent", "channel": "api",
			"description": "员工按照70%到岗率计算，大概需要300个口罩，目前企业口罩存量能够支持5天左右，希望政府能够解决这个燃眉之急。",
			"sent_at":     time.Now().UnixMilli(), "seq": n,
		}
	}}
