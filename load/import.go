package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fugong"
	"fugong/regions"
	"fugong/xlsx"
)

// WriteWorkersLedger writes a workers ledger (员工台账) of n rows as .xlsx, streamed, as an
// office would fill it: the ledger's own Chinese headers, names, ID numbers of people
// born in Hunan's counties with right check digits (all different), mobile phones (some
// left blank), home addresses down to the township, poor households and statuses. The
// rows follow from seed. If bad > 0, data row bad (sheet line bad+1) has an ID number
// whose check digit is wrong.
func WriteWorkersLedger(out io.Writer, n, bad int, seed uint64) error {
	all, err := regions.Hunan()
	if err != nil {
		return err
	}
	byCode := map[string]fugong.Region{}
	var counties []fugong.Region
	var towns []fugong.Region
	for _, r := range all {
		byCode[r.Code] = r
		switch r.Level {
		case fugong.LevelCounty:
			counties = append(counties, r)
		case fugong.LevelTownship:
			towns = append(towns, r)
		}
	}
	// Most workers of a Cili enterprise come from Cili itself; the rest from anywhere in Hunan.
	var local []fugong.Region
	for _, t := range towns {
		if strings.HasPrefix(t.Code, "430821") {
			local = append(local, t)
		}
	}
	address := func(t fugong.Region) string {
		c := byCode[t.ParentCode]
		return "湖南省" + byCode[c.ParentCode].Name + c.Name + t.Name
	}
	w, err := xlsx.NewWriter("员工", fugong.WorkerColumns)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 10))
	statuses := []string{fugong.WorkerOnDuty, fugong.WorkerOnDuty, fugong.WorkerOnDuty, fugong.WorkerPending, ""}
	prefixes := []string{"130", "135", "138", "139", "150", "151", "153", "158", "177", "180", "186", "189", "199"}
	born := time.Date(1962, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var t fugong.Region
		if rng.IntN(10) < 7 {
			t = local[rng.IntN(len(local))]
		} else {
			t = towns[rng.IntN(len(towns))]
		}
		// (county, day of birth, sequence) differs for every i below 12,000 × 1,000 per county.
		j := i / len(counties)
		day, seq := j%12000, j/12000
		area := counties[i%len(counties)].Code
		id := fmt.Sprintf("%s%s%03d", area, born.AddDate(0, 0, day).Format("20060102"), (seq*37+day)%1000)
		id = withCheck(id, i+1 == bad)
		phone := ""
		if rng.IntN(10) != 0 {
			phone = fmt.Sprintf("%s%08d", prefixes[rng.IntN(len(prefixes))], rng.IntN(100_000_000))
		}
		poor := "否"
		if rng.IntN(20) == 0 {
			poor = "是"
		}
		name := surnames[rng.IntN(len(surnames))] + given[rng.IntN(len(given))]
		if rng.IntN(2) == 0 {
			name += given[rng.IntN(len(given))]
		}
		if err := w.Add(name, id, phone, address(t), poor, statuses[rng.IntN(len(statuses))]); err != nil {
			return err
		}
	}
	return w.Finish(out)
}

// withCheck appends the check character to 17 digits, or a wrong one.
func withCheck(first17 string, wrong bool) string {
	for _, c := range "0123456789X" {
		if (fugong.CheckIDNumber(first17+string(c)) == "") != wrong {
			return first17 + string(c)
		}
	}
	return first17
}

var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭", "林", "何", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "邓", "覃", "向", "田"}
	given    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "红", "玲", "兵", "辉"}
)

// ImportConfig is one worker import driven through the web page, as a user does it.
type ImportConfig struct {
	Target   string // http://127.0.0.1:PORT
	Username string // an enterprise account imports its own ledger
	Password string
	File     string // the .xlsx ledger
	PID      int    // the server's process, to sample its memory (0: not sampled)
}

// ImportResult is what one import took.
type ImportResult struct {
	Upload, Preview, Commit time.Duration // upload and preview are one request; Upload is until the file is sent
	Rows                    int
	PreviewCPU, CommitCPU   time.Duration // the server's CPU time (user + system) in each step
	PeakRSS                 int64         // bytes, sampled VmRSS during the import (0 if not sampled)
	HWM                     int64         // bytes, VmHWM after the import: the peak over the server's life
}

func (r ImportResult) String() string {
	return fmt.Sprintf("import %d rows: preview %.1fs (upload %.1fs), commit %.1fs, total %.1fs; server CPU %.1fs + %.1fs; server RSS peak %d MiB during, VmHWM %d MiB",
		r.Rows, r.Preview.Seconds(), r.Upload.Seconds(), r.Commit.Seconds(), (r.Preview + r.Commit).Seconds(), r.PreviewCPU.Seconds(), r.CommitCPU.Seconds(),
		r.PeakRSS>>20, r.HWM>>20)
}

var (
	csrfField   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	csrfData    = regexp.MustCompile(`data-csrf="([^"]+)"`)
	tokenField  = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`)
	previewRows = regexp.MustCompile(`id="import-rows">\D*(\d+)`)
)

// Import logs in through the login form, uploads the ledger on the enterprise's health
// board (the preview), then confirms it (the commit), timing each step and sampling the
// server's resident memory.
func Import(ctx context.Context, cfg ImportConfig) (res ImportResult, err error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", cfg.Target+path, nil)
		r, err := c.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer r.Body.Close()
		b, err := io.ReadAll(r.Body)
		return r.StatusCode, string(b), err
	}
	_, page, err := get("/login")
	if err != nil {
		return res, err
	}
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return res, fmt.Errorf("the login page has no CSRF field")
	}
	form := url.Values{"csrf": {m[1]}, "username": {cfg.Username}, "password": {cfg.Password}}
	req, _ := http.NewRequestWithContext(ctx, "POST", cfg.Target+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r, err := c.Do(req)
	if err != nil {
		return res, err
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		return res, fmt.Errorf("log in %s: %d", cfg.Username, r.StatusCode)
	}
	_, me, err := get("/api/v1/me")
	if err != nil {
		return res, err
	}
	var who struct {
		EnterpriseID int64 `json:"enterprise_id"`
	}
	json.Unmarshal([]byte(me), &who)
	if who.EnterpriseID == 0 {
		return res, fmt.Errorf("%s is not an enterprise account: %s", cfg.Username, me)
	}
	board := "/health/enterprises/" + strconv.FormatInt(who.EnterpriseID, 10)
	_, page, err = get(board)
	if err != nil {
		return res, err
	}
	m = csrfData.FindStringSubmatch(page)
	if m == nil {
		return res, fmt.Errorf("the health board has no CSRF token")
	}
	csrf := m[1]

	stop := make(chan struct{})
	var peak atomic.Int64
	var wg sync.WaitGroup
	if cfg.PID > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				if v := procStatus(cfg.PID, "VmRSS"); v > peak.Load() {
					peak.Store(v)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
		res.PeakRSS = peak.Load()
		if cfg.PID > 0 {
			res.HWM = procStatus(cfg.PID, "VmHWM")
		}
	}()

	// The preview: the file goes up as the browser sends it, multipart with the CSRF field.
	f, err := os.Open(cfg.File)
	if err != nil {
		return res, err
	}
	defer f.Close()
	cpu0 := procCPU(cfg.PID)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	start := time.Now()
	go func() {
		mw.WriteField("csrf", csrf)
		part, err := mw.CreateFormFile("file", "员工台账.xlsx")
		if err == nil {
			_, err = io.Copy(part, f)
		}
		if err == nil {
			err = mw.Close()
		}
		res.Upload = time.Since(start)
		pw.CloseWithError(err)
	}()
	req, _ = http.NewRequestWithContext(ctx, "POST", cfg.Target+board+"/import", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r, err = c.Do(req)
	if err != nil {
		return res, err
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	res.Preview = time.Since(start)
	cpu1 := procCPU(cfg.PID)
	res.PreviewCPU = cpu1 - cpu0
	page = string(b)
	tok := tokenField.FindStringSubmatch(page)
	if r.StatusCode != http.StatusOK || tok == nil {
		return res, fmt.Errorf("preview: %d, no confirmation offered: %s", r.StatusCode, excerpt(page))
	}
	if n := previewRows.FindStringSubmatch(page); n != nil {
		res.Rows, _ = strconv.Atoi(n[1])
	}

	// The commit: the confirmation form carries the preview's token.
	start = time.Now()
	form = url.Values{"csrf": {csrf}, "token": {tok[1]}}
	req, _ = http.NewRequestWithContext(ctx, "POST", cfg.Target+board+"/import", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r, err = c.Do(req)
	if err != nil {
		return res, err
	}
	b, _ = io.ReadAll(r.Body)
	r.Body.Close()
	res.Commit = time.Since(start)
	res.CommitCPU = procCPU(cfg.PID) - cpu1
	if r.StatusCode != http.StatusSeeOther {
		return res, fmt.Errorf("commit: %d %s", r.StatusCode, excerpt(string(b)))
	}
	return res, nil
}

// excerpt is the error box of a page, or its start.
func excerpt(page string) string {
	for _, mark := range []string{`id="import-errors"`, `role="alert"`, `class="field-error`} {
		if i := strings.Index(page, mark); i >= 0 {
			page = page[i:]
			break
		}
	}
	return page[:min(len(page), 400)]
}

// procStatus reads one "Vm…: N kB" line of /proc/PID/status, in bytes.
func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

// procCPU is a process's CPU time so far, user and system (/proc/PID/stat, in clock ticks
// of 1/100 s); 0 for pid 0.
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // after "pid (comm) ": field 3 on
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}
