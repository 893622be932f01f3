package ha

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"
)

// pgBin is where Debian keeps PostgreSQL 15's server programs.
const pgBin = "/usr/lib/postgresql/15/bin"

// need finds the programs the cluster is made of. Asked for (FUGONG_TEST_PATRONI=1) or in
// CI, a missing one fails the test; otherwise the test is skipped.
func need(t *testing.T) map[string]string {
	t.Helper()
	if os.Getenv("FUGONG_TEST_PATRONI") != "1" && os.Getenv("CI") != "true" {
		t.Skip("failover test: set FUGONG_TEST_PATRONI=1 (needs Debian's patroni, etcd-server, haproxy)")
	}
	paths := map[string]string{}
	var missing []string
	for _, p := range []string{"patroni", "etcd", "haproxy"} {
		path, err := exec.LookPath(p)
		if err != nil {
			missing = append(missing, p)
		}
		paths[p] = path
	}
	if _, err := os.Stat(filepath.Join(pgBin, "postgres")); err != nil {
		missing = append(missing, pgBin+"/postgres")
	}
	if len(missing) > 0 {
		t.Fatalf("failover test asked for (FUGONG_TEST_PATRONI=1 or CI=true) but missing: %s — apt-get install patroni etcd-server etcd-client haproxy postgresql-15", strings.Join(missing, ", "))
	}
	return paths
}

// freePorts finds n free TCP ports on 127.0.0.1.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var lns []net.Listener
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// proc is a program the test started, with its output in a file.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
}

// node is one Patroni member: Patroni and the PostgreSQL it runs.
type node struct {
	Name      string
	Dir       string
	PG, REST  int
	Etcd      int
	patroni   *proc
	killed    bool
	Scope     string
	Superuser string
}

// cluster is etcd, three Patroni nodes and HAProxy in front of them.
type cluster struct {
	t        *testing.T
	dir      string
	bins     map[string]string
	cred     *syscall.Credential // the postgres user when the test runs as root
	etcd     *proc
	haproxy  *proc
	nodes    []*node
	Primary  int // HAProxy's port to the primary
	Replicas int // HAProxy's port to the replicas
	procs    []*proc
}

var patroniConf = template.Must(template.New("patroni").Parse(`scope: {{.Scope}}
namespace: /fugong/
name: {{.Name}}
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:{{.REST}}
  connect_address: 127.0.0.1:{{.REST}}
etcd3:
  hosts: 127.0.0.1:{{.Etcd}}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 16777216
    synchronous_mode: true
    postgresql:
      use_pg_rewind: false
      use_slots: true
      parameters:
        wal_log_hints: "on"
        max_connections: 60
        max_wal_senders: 8
        max_replication_slots: 8
        wal_level: replica
        hot_standby: "on"
        wal_keep_size: 128MB
  initdb:
  - encoding: UTF8
  - locale: C
postgresql:
  listen: 127.0.0.1:{{.PG}}
  connect_address: 127.0.0.1:{{.PG}}
  data_dir: {{.Dir}}/data
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: {{.Dir}}/pgpass
  authentication:
    superuser:
      username: postgres
      password: {{.Superuser}}
    replication:
      username: replicator
      password: ha-replicator
  parameters:
    unix_socket_directories: '{{.Dir}}'
    shared_buffers: 16MB
  pg_hba:
  - local all all trust
  - host all all 127.0.0.1/32 trust
  - host replication replicator 127.0.0.1/32 trust
`))

var haproxyConf = template.Must(template.New("haproxy").Parse(`global
  maxconn 512
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
listen primary
  bind 127.0.0.1:{{.Primary}}
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 500ms fastinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions
{{- range .Nodes}}
  server {{.Name}} 127.0.0.1:{{.PG}} check port {{.REST}}
{{- end}}
listen replicas
  bind 127.0.0.1:{{.Replicas}}
  balance roundrobin
  option httpchk GET /replica
  http-check expect status 200
  default-server inter 500ms fastinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions
{{- range .Nodes}}
  server {{.Name}} 127.0.0.1:{{.PG}} check port {{.REST}}
{{- end}}
`))

// startCluster starts etcd, three Patroni nodes with synchronous replication and HAProxy,
// all on 127.0.0.1 ports under a temporary folder, and waits until a primary, a
// synchronous standby and a replica run. Everything stops when the test ends.
func startCluster(t *testing.T, bins map[string]string) *cluster {
	t.Helper()
	dir, err := os.MkdirTemp("", "fugong-ha-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // the postgres user walks into it
	c := &cluster{t: t, dir: dir, bins: bins}
	t.Cleanup(c.stop)
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: Patroni and its servers run as postgres.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user for the servers: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	ports := freePorts(t, 10)
	etcdClient, etcdPeer := ports[0], ports[1]
	c.Primary, c.Replicas = ports[2], ports[3]
	scope := fmt.Sprintf("fugong-ha-%d", time.Now().UnixNano())
	c.etcd = c.start("etcd", nil, filepath.Join(dir, "etcd.log"), bins["etcd"],
		"--name", "e1", "--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdClient),
		"--advertise-client-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdClient),
		"--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdPeer),
		"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdPeer),
		"--initial-cluster", fmt.Sprintf("e1=http://127.0.0.1:%d", etcdPeer))
	c.waitHTTP(fmt.Sprintf("http://127.0.0.1:%d/health", etcdClient), 30*time.Second)
	for i := range 3 {
		n := &node{Name: fmt.Sprintf("pg%d", i+1), Dir: filepath.Join(dir, fmt.Sprintf("pg%d", i+1)),
			PG: ports[4+2*i], REST: ports[5+2*i], Etcd: etcdClient, Scope: scope, Superuser: "ha-postgres"}
		if err := os.Mkdir(n.Dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if c.cred != nil {
			os.Chown(n.Dir, int(c.cred.Uid), int(c.cred.Gid))
		}
		var b bytes.Buffer
		if err := patroniConf.Execute(&b, n); err != nil {
			t.Fatal(err)
		}
		conf := filepath.Join(n.Dir, "patroni.yml")
		if err := os.WriteFile(conf, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if c.cred != nil {
			os.Chown(conf, int(c.cred.Uid), int(c.cred.Gid))
		}
		n.patroni = c.start(n.Name, c.cred, filepath.Join(dir, n.Name+".log"), bins["patroni"], conf)
		c.nodes = append(c.nodes, n)
		if i == 0 {
			// The first node bootstraps the cluster; the others then copy it.
			c.waitFor("a primary", 90*time.Second, func() bool { return c.leader() != nil })
		}
	}
	c.waitFor("a primary, a synchronous standby and a streaming replica", 180*time.Second, func() bool {
		roles := c.roles()
		return roles["leader"] == 1 && roles["sync_standby"] == 1 && roles["replica"] == 1
	})
	var b bytes.Buffer
	if err := haproxyConf.Execute(&b, map[string]any{"Primary": c.Primary, "Replicas": c.Replicas, "Nodes": c.nodes}); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(conf, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c.haproxy = c.start("haproxy", nil, filepath.Join(dir, "haproxy.log"), bins["haproxy"], "-f", conf, "-db")
	c.waitFor("the primary through HAProxy", 30*time.Second, func() bool { return c.ping(c.DSN()) == nil })
	c.waitFor("a replica through HAProxy", 30*time.Second, func() bool { return c.ping(c.ReadDSN()) == nil })
	return c
}

// DSN is the entry point to the primary, through HAProxy.
func (c *cluster) DSN() string {
	return fmt.Sprintf("postgres://postgres:ha-postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Primary)
}

// ReadDSN is the entry point to the replicas, through HAProxy.
func (c *cluster) ReadDSN() string {
	return fmt.Sprintf("postgres://postgres:ha-postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Replicas)
}

func (c *cluster) ping(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var one int
	return db.QueryRow(`SELECT 1`).Scan(&one)
}

func (c *cluster) start(name string, cred *syscall.Credential, logPath, bin string, args ...string) *proc {
	c.t.Helper()
	f, err := os.Create(logPath)
	if err != nil {
		c.t.Fatal(err)
	}
	defer f.Close()
	p := &proc{name: name, cmd: exec.Command(bin, args...), log: logPath}
	p.cmd.Stdout, p.cmd.Stderr = f, f
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
	p.cmd.Env = append(os.Environ(), "HOME="+c.dir, "PATH="+pgBin+":"+os.Getenv("PATH"))
	if err := p.cmd.Start(); err != nil {
		c.t.Fatalf("start %s: %v", name, err)
	}
	c.procs = append(c.procs, p)
	return p
}

func (c *cluster) waitHTTP(url string, d time.Duration) {
	c.t.Helper()
	c.waitFor(url, d, func() bool {
		res, err := http.Get(url)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
}

func (c *cluster) waitFor(what string, d time.Duration, ok func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			c.t.Fatalf("waited %s for %s; logs:\n%s", d, what, c.logs())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// member is one node as Patroni's REST API /cluster tells it.
type member struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	State string `json:"state"`
	Port  int    `json:"port"`
}

// members asks a live node's Patroni for the cluster.
func (c *cluster) members() []member {
	for _, n := range c.nodes {
		if n.killed {
			continue
		}
		res, err := (&http.Client{Timeout: 2 * time.Second}).Get(fmt.Sprintf("http://127.0.0.1:%d/cluster", n.REST))
		if err != nil {
			continue
		}
		var out struct{ Members []member }
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err == nil {
			return out.Members
		}
	}
	return nil
}

// roles counts the running members by role.
func (c *cluster) roles() map[string]int {
	out := map[string]int{}
	for _, m := range c.members() {
		if m.State == "running" || m.State == "streaming" {
			out[m.Role]++
		}
	}
	return out
}

// leader is the node Patroni names primary, or nil.
func (c *cluster) leader() *node {
	for _, m := range c.members() {
		if m.Role == "leader" && m.State == "running" {
			for _, n := range c.nodes {
				if n.Name == m.Name && !n.killed {
					return n
				}
			}
		}
	}
	return nil
}

// maintenance turns Patroni's maintenance mode (pause) on or off and waits until the
// cluster reports it.
func (c *cluster) maintenance(on bool) {
	c.t.Helper()
	n := c.patchConfig(fmt.Sprintf(`{"pause": %v}`, on))
	c.waitFor("maintenance mode", 30*time.Second, func() bool {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/cluster", n.REST))
		if err != nil {
			return false
		}
		defer res.Body.Close()
		var st struct{ Pause bool }
		return json.NewDecoder(res.Body).Decode(&st) == nil && st.Pause == on
	})
	time.Sleep(2 * time.Second) // every node's next loop (loop_wait 1 s) has seen it
}

// replayStates tells, for each live node, what a lag check reads there: the port, whether
// it is in recovery, replay paused, the received and replayed WAL and the last replayed
// commit's age — for a failure message.
func (c *cluster) replayStates() string {
	var b strings.Builder
	for _, n := range c.nodes {
		if n.killed {
			continue
		}
		db, err := sql.Open("pgx", fmt.Sprintf("postgres://postgres:ha-postgres@127.0.0.1:%d/postgres?sslmode=disable", n.PG))
		if err != nil {
			continue
		}
		var state string
		err = db.QueryRow(`SELECT format('recovery %s, replay %s, received %s, replayed %s, last replayed commit %s ago, wal receiver %s',
			pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END, pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(),
			now() - pg_last_xact_replay_timestamp(), (SELECT status || ' from ' || sender_port FROM pg_stat_wal_receiver))`).Scan(&state)
		db.Close()
		fmt.Fprintf(&b, "\n  %s (port %d): %s %v", n.Name, n.PG, state, err)
	}
	fmt.Fprintf(&b, "\n  members: %+v; replica entry point port %d", c.members(), c.Replicas)
	return b.String()
}

// patchConfig changes the cluster's dynamic configuration through the primary's Patroni,
// which it returns.
func (c *cluster) patchConfig(patch string) *node {
	c.t.Helper()
	n := c.leader()
	if n == nil {
		c.t.Fatalf("no primary to change the configuration: %s", patch)
	}
	req, _ := http.NewRequest("PATCH", fmt.Sprintf("http://127.0.0.1:%d/config", n.REST), strings.NewReader(patch))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("configuration %s: %d", patch, res.StatusCode)
	}
	return n
}

// kill ends a node as a machine failure would: SIGKILL to Patroni and to the PostgreSQL
// server with every one of its processes, with no chance to hand over.
func (c *cluster) kill(n *node) {
	c.t.Helper()
	c.signalNode(n)
	n.patroni.cmd.Wait()
	n.killed = true
}

// rejoin starts a killed node's Patroni again, as its machine coming back would: Patroni
// finds the node's timeline behind the new primary's, rewinds it (pg_rewind; a new base
// backup if that fails) and starts it as a replica of the new primary. Rewinding is
// turned on only now (wal_log_hints is on from the start): on during the failover, it
// made Patroni rewind the surviving standby too, restarting it under the lag check.
func (c *cluster) rejoin(n *node) {
	c.t.Helper()
	c.patchConfig(`{"postgresql": {"use_pg_rewind": true, "remove_data_directory_on_rewind_failure": true, "remove_data_directory_on_diverged_timelines": true}}`)
	time.Sleep(2 * time.Second) // every node's next loop (loop_wait 1 s) has seen it
	n.patroni = c.start(n.Name+" (rejoined)", c.cred, filepath.Join(c.dir, n.Name+"-rejoin.log"), c.bins["patroni"], filepath.Join(n.Dir, "patroni.yml"))
	n.killed = false
}

// member is the node's entry in the cluster, or a zero member.
func (c *cluster) member(n *node) member {
	for _, m := range c.members() {
		if m.Name == n.Name {
			return m
		}
	}
	return member{}
}

// signalNode sends SIGKILL to a node's Patroni and PostgreSQL processes.
func (c *cluster) signalNode(n *node) {
	pids := []int{}
	if b, err := os.ReadFile(filepath.Join(n.Dir, "data", "postmaster.pid")); err == nil {
		if pm, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); err == nil {
			pids = append(pids, pm)
			pids = append(pids, children(pm)...)
		}
	}
	syscall.Kill(-n.patroni.cmd.Process.Pid, syscall.SIGKILL)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// children lists the processes whose parent is pid.
func children(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			out = append(out, child)
		}
	}
	return out
}

// logs is the tail of every program's output, for a failure message.
func (c *cluster) logs() string {
	var b strings.Builder
	for _, p := range c.procs {
		data, _ := os.ReadFile(p.log)
		if len(data) > 3000 {
			data = data[len(data)-3000:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", p.name, data)
	}
	return b.String()
}

// stop ends everything the cluster started: Patroni stops its PostgreSQL (fast), the
// rest is killed, and the folder is removed.
func (c *cluster) stop() {
	for _, n := range c.nodes {
		if !n.killed {
			syscall.Kill(n.patroni.cmd.Process.Pid, syscall.SIGTERM)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, n := range c.nodes {
		if n.killed {
			continue
		}
		done := make(chan struct{})
		go func() { n.patroni.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Until(deadline)):
			c.signalNode(n)
			<-done
		}
	}
	for _, p := range []*proc{c.haproxy, c.etcd} {
		if p != nil {
			syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			p.cmd.Wait()
		}
	}
	if c.t.Failed() && os.Getenv("FUGONG_HA_KEEP") != "" {
		c.t.Logf("cluster folder kept: %s", c.dir)
		return
	}
	os.RemoveAll(c.dir)
}
