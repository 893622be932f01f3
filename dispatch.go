package fugong

import (
	"regexp"
	"strconv"
	"strings"
)

// LiaisonRanks are the ranks a liaison may hold: the county dispatched cadres of 副科级
// and above (选派162名副科级以上党员干部).
var LiaisonRanks = []string{"副科级", "正科级", "副处级", "正处级", "副厅级", "正厅级"}

// DispatchRow is one line of a dispatch ledger: a cadre and the enterprise they go to.
type DispatchRow struct {
	Line     int    `json:"line"`
	Username string `json:"username,omitempty"` // an existing account, or the one to make
	Name     string `json:"name"`
	Rank     string `json:"rank"`
	Phone    string `json:"phone"`
	Unit     string `json:"unit,omitempty"` // the cadre's own office
	USCC     string `json:"uscc"`           // the enterprise's credit code
}

// Dispatch ledger columns, as the offices write them.
const (
	ColUsername = "账号"
	ColName     = "姓名"
	ColRank     = "职级"
	ColPhone    = "手机号"
	ColUnit     = "工作单位"
	ColUSCC     = "统一社会信用代码"
)

// DispatchColumns are the columns a dispatch ledger must have.
var DispatchColumns = []string{ColName, ColRank, ColPhone, ColUSCC}

var phoneRe = regexp.MustCompile(`^1\d{10}$`)

// CellKey names a cell of an imported ledger in an error's Fields: "line:column".
func CellKey(line int, col string) string { return strconv.Itoa(line) + ":" + col }

// SplitCellKey reads a CellKey back; line is 0 when key is not one.
func SplitCellKey(key string) (line int, col string) {
	l, c, ok := strings.Cut(key, ":")
	if !ok {
		return 0, key
	}
	n, err := strconv.Atoi(l)
	if err != nil {
		return 0, key
	}
	return n, c
}

// Check normalises a dispatch row and records what is wrong with it, cell by cell.
func (r *DispatchRow) Check(f FieldErrors) {
	r.Username, r.Name, r.Rank = strings.TrimSpace(r.Username), strings.TrimSpace(r.Name), strings.TrimSpace(r.Rank)
	r.Phone, r.Unit, r.USCC = strings.TrimSpace(r.Phone), strings.TrimSpace(r.Unit), NormalizeUSCC(r.USCC)
	if r.Name == "" {
		f.Add(CellKey(r.Line, ColName), "field.required")
	}
	if !oneOf(r.Rank, LiaisonRanks) {
		f.Add(CellKey(r.Line, ColRank), "dispatch.rank", strings.Join(LiaisonRanks, "、"))
	}
	if !phoneRe.MatchString(r.Phone) {
		f.Add(CellKey(r.Line, ColPhone), "dispatch.phone")
	}
	if k := CheckUSCC(r.USCC); k != "" {
		f.Add(CellKey(r.Line, ColUSCC), k)
	}
	if r.Username != "" && (len(r.Username) < 2 || len(r.Username) > 64 || strings.ContainsAny(r.Username, " \t\r\n/")) {
		f.Add(CellKey(r.Line, ColUsername), "user.username")
	}
}
