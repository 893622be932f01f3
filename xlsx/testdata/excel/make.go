//go:build ignore

// make.go makes the Excel fixtures of this folder from workbooks that Microsoft Excel
// saved, as README.md says: it keeps every part Excel wrote — content types, relations,
// docProps (Application: Microsoft Excel), the workbook, the theme, the styles, the
// shared strings — and puts an office's ledger in the first sheet, written in Excel's
// own manner. Run from this folder: go run make.go
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// A cell of a fixture row.
type cell struct {
	kind  byte   // 's' shared string, 'n' number, 'd' date, 'c' Chinese long date, 't' text-formatted string, 'f' formula, 'N' number written t="n"
	value string // the text, the number, or the formula's cached value
	f     string // a formula
}

func s(v string) cell  { return cell{kind: 's', value: v} }
func n(v string) cell  { return cell{kind: 'n', value: v} }
func d(v int) cell     { return cell{kind: 'd', value: strconv.Itoa(v)} }
func cn(v int) cell    { return cell{kind: 'c', value: strconv.Itoa(v)} }
func t(v string) cell  { return cell{kind: 't', value: v} }
func nt(v string) cell { return cell{kind: 'N', value: v} }
func blank() cell      { return cell{} }

// A row of a fixture; noRef leaves out the r attributes of the row and its cells.
type row struct {
	cells []cell
	noRef bool
}

// A fixture: the file to write, the Excel workbook it is made from, whether it counts
// its dates from 1904, its header and rows.
type fixture struct {
	name, base string
	date1904   bool
	header     []string
	rows       []row
}

// 2020-03-09 is serial 43899 in the 1900 date system and 42437 in the 1904 one.
const day1900, day1904 = 43899, 43899 - 1462

var enterpriseHeader = []string{"企业名称", "统一社会信用代码", "乡镇", "重点领域", "规上企业", "在册员工", "月租金（元）", "联系电话", "复工日期"}

func enterpriseRows(day int) []row {
	return []row{
		{cells: []cell{s("慈利办公一号有限公司"), s("91430821205404746W"), s("零阳街道"), s("园区企业"), s("是"), n("50"), n("3500.5"), n("13912345678"), d(day)}},
		{cells: []cell{s("慈利办公二号有限公司"), t("914308212054043756"), s("金慈街道"), s("工矿企业"), s("否"), n("120"), n("12000"), t("13912345679"), d(day + 1)}},
		{cells: []cell{s("慈利办公三号有限公司"), s("91430821205405116Y"), s("零阳街道"), s("园区企业"), s("否"), {kind: 'f', f: "4+4", value: "8"}, blank(), blank(), cn(day + 2)}},
	}
}

var workerHeader = []string{"姓名", "身份证号", "手机号", "户籍地", "贫困户", "状态"}

var seekerHeader = []string{"姓名", "身份证号", "手机号", "村", "年龄", "性别", "技能", "求职意向", "期望月薪", "建档立卡贫困户", "可上岗日期"}

// orgUnitRows are the nine org units of e2e/testdata/county (嘉禾县), as its office keeps
// them in Excel: the set-up done-test imports this sheet.
var orgUnitRows = func() []row {
	rs := []row{
		{cells: []cell{s("县疫情防控指挥部"), s("指挥部"), blank(), blank()}},
		{cells: []cell{s("县卫生健康局"), s("职能部门"), blank(), s("窗口服务、景区景点")}},
		{cells: []cell{s("县工业和信息化局"), s("职能部门"), blank(), s("工矿企业、园区企业")}},
		{cells: []cell{s("县人力资源和社会保障局"), s("职能部门"), blank(), blank()}},
		{cells: []cell{s("县住房和城乡建设局"), s("职能部门"), blank(), s("建筑工程、重点项目")}},
		{cells: []cell{s("县商务局"), s("职能部门"), blank(), s("窗口服务")}},
	}
	for _, t := range []string{"珠泉镇", "塘村镇", "袁家镇"} {
		rs = append(rs, row{cells: []cell{s(t + "人民政府"), s("乡镇人民政府"), s(t), blank()}})
	}
	return rs
}()

var fixtures = []fixture{
	{name: "../../../e2e/testdata/county/org-units-excel2007.xlsx", base: "CalcChain.xlsx", header: []string{"单位名称", "类别", "所属乡镇", "监管的重点领域"},
		rows: orgUnitRows},
	{name: "enterprises-excel2007.xlsx", base: "CalcChain.xlsx", header: enterpriseHeader, rows: enterpriseRows(day1900)},
	{name: "enterprises-mac1904.xlsx", base: "SharedStrings.xlsx", date1904: true, header: enterpriseHeader, rows: enterpriseRows(day1904)},
	{name: "workers-excel2007.xlsx", base: "CalcChain.xlsx", header: workerHeader, rows: []row{
		{cells: []cell{s("王兵"), t("430821198507150019"), n("13912345678"), s("湖南省慈利县零阳街道"), s("是"), s("在岗")}},
		{cells: []cell{s("李娟"), t("430821199001010021"), n("13912345679"), s("湖南省慈利县金慈街道"), s("否"), s("在岗")}, noRef: true},
		{cells: []cell{s("赵敏"), t("430821199202020031"), blank(), s("湖南省慈利县零阳街道"), s("是"), s("待返岗")}},
	}},
	// 也许 is no answer; an ID number typed into a number cell keeps 15 digits, which
	// Excel writes as 4.3082119880808E+17.
	{name: "workers-bad-excel2007.xlsx", base: "CalcChain.xlsx", header: workerHeader, rows: []row{
		{cells: []cell{s("王兵"), t("430821198507150019"), n("13912345678"), s("湖南省慈利县零阳街道"), s("也许"), s("在岗")}},
		{cells: []cell{s("钱芳"), n("4.3082119880808E+17"), n("13912345670"), s("湖南省慈利县零阳街道"), s("否"), s("在岗")}},
	}},
	{name: "job-seekers-mac1904.xlsx", base: "SharedStrings.xlsx", date1904: true, header: seekerHeader, rows: []row{
		{cells: []cell{s("周一"), t("430821198903150045"), n("13900003001"), blank(), n("31"), s("男"), s("普工、电焊"), s("电子厂"), n("3500"), s("是"), d(day1904 + 7)}},
		{cells: []cell{s("吴二"), t("430821199207200023"), nt("13900003002"), blank(), n("27"), s("女"), s("缝纫"), s("服装厂"), n("3000"), s("否"), d(day1904 + 11)}},
	}},
}

func main() {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/xuri/excelize/v2").Output()
	if err != nil {
		log.Fatalf("find excelize in the module cache: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "test")
	for _, f := range fixtures {
		if err := f.make(filepath.Join(dir, f.base)); err != nil {
			log.Fatalf("%s: %v", f.name, err)
		}
	}
}

func (f fixture) make(base string) error {
	zr, err := zip.OpenReader(base)
	if err != nil {
		return err
	}
	defer zr.Close()
	parts := map[string][]byte{}
	var names []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		parts[zf.Name] = b
		names = append(names, zf.Name)
	}
	if !strings.Contains(string(parts["docProps/app.xml"]), "<Application>Microsoft") {
		return fmt.Errorf("%s was not saved by Microsoft Excel", base)
	}
	// The calculation chain names the formulas of the sheet that is replaced: Excel
	// drops it itself when it would be wrong, and so does this.
	delete(parts, "xl/calcChain.xml")
	parts["[Content_Types].xml"] = regexp.MustCompile(`<Override PartName="/xl/calcChain.xml"[^>]*/>`).ReplaceAll(parts["[Content_Types].xml"], nil)
	rels := "xl/_rels/workbook.xml.rels"
	parts[rels] = regexp.MustCompile(`<Relationship [^>]*calcChain[^>]*/>`).ReplaceAll(parts[rels], nil)
	// The relation names the part "sharedStrings.xml"; Excel 2007 saved it as
	// "SharedStrings.xml" here: part names are matched without regard to case.
	sst := "xl/" + regexp.MustCompile(`Type="[^"]*/sharedStrings" Target="([^"]+)"`).FindStringSubmatch(string(parts[rels]))[1]
	for name := range parts {
		if strings.EqualFold(name, sst) {
			sst = name
		}
	}
	if f.date1904 {
		wb := strings.Replace(string(parts["xl/workbook.xml"]), "<workbookPr ", `<workbookPr date1904="1" `, 1)
		parts["xl/workbook.xml"] = []byte(wb)
	}
	date, text, long, err := addStyles(parts)
	if err != nil {
		return err
	}
	strs, index := sharedStrings(string(parts[sst]))
	str := func(v string) int {
		if i, ok := index[v]; ok {
			return i
		}
		index[v] = len(strs)
		strs = append(strs, v)
		return len(strs) - 1
	}
	uses := 0
	var sd strings.Builder
	sd.WriteString("<sheetData>")
	all := append([]row{{cells: nil}}, f.rows...)
	for _, h := range f.header {
		all[0].cells = append(all[0].cells, s(h))
	}
	last := 0
	dy := ""
	if strings.Contains(string(parts["xl/worksheets/sheet1.xml"]), "x14ac:dyDescent") {
		dy = ` x14ac:dyDescent="0.2"`
	}
	for i, r := range all {
		line := i + 1
		if r.noRef {
			sd.WriteString("<row" + dy + ">")
		} else {
			fmt.Fprintf(&sd, `<row r="%d" spans="1:%d"%s>`, line, len(f.header), dy)
		}
		for j, c := range r.cells {
			ref := ""
			if !r.noRef {
				ref = fmt.Sprintf(` r="%c%d"`, 'A'+j, line)
			}
			switch c.kind {
			case 0:
				continue
			case 's', 't':
				style := ""
				if c.kind == 't' {
					style = fmt.Sprintf(` s="%d"`, text)
				}
				fmt.Fprintf(&sd, `<c%s%s t="s"><v>%d</v></c>`, ref, style, str(c.value))
				uses++
			case 'n':
				fmt.Fprintf(&sd, `<c%s><v>%s</v></c>`, ref, c.value)
			case 'N':
				fmt.Fprintf(&sd, `<c%s t="n"><v>%s</v></c>`, ref, c.value)
			case 'd':
				fmt.Fprintf(&sd, `<c%s s="%d"><v>%s</v></c>`, ref, date, c.value)
			case 'c':
				fmt.Fprintf(&sd, `<c%s s="%d"><v>%s</v></c>`, ref, long, c.value)
			case 'f':
				fmt.Fprintf(&sd, `<c%s><f>%s</f><v>%s</v></c>`, ref, c.f, c.value)
			}
			last = max(last, j+1)
		}
		sd.WriteString("</row>")
	}
	sd.WriteString("</sheetData>")
	sheet := string(parts["xl/worksheets/sheet1.xml"])
	sheet = regexp.MustCompile(`<dimension ref="[^"]*"\s*/>`).ReplaceAllLiteralString(sheet, fmt.Sprintf(`<dimension ref="A1:%c%d"/>`, 'A'+last-1, len(all)))
	sheet = regexp.MustCompile(`(?s)<sheetData\s*/>|<sheetData>.*</sheetData>`).ReplaceAllLiteralString(sheet, sd.String())
	sheet = regexp.MustCompile(`(?s)<mergeCells.*</mergeCells>`).ReplaceAllLiteralString(sheet, "")
	parts["xl/worksheets/sheet1.xml"] = []byte(sheet)
	parts[sst] = []byte(writeSharedStrings(string(parts[sst]), strs, uses))

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		b, ok := parts[name]
		if !ok {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(f.name, buf.Bytes(), 0o644)
}

// addStyles adds to Excel's own styles the cell formats a ledger uses, as Excel adds
// them: a short date (built-in numFmt 14, 2020/3/9 in Chinese Excel), text (built-in 49,
// "@") and the Chinese long date (a custom format, 2020年3月11日). It answers their
// indexes in cellXfs.
func addStyles(parts map[string][]byte) (date, text, long int, err error) {
	st := string(parts["xl/styles.xml"])
	m := regexp.MustCompile(`<cellXfs count="(\d+)">`).FindStringSubmatchIndex(st)
	if m == nil {
		return 0, 0, 0, fmt.Errorf("styles.xml has no cellXfs")
	}
	count, _ := strconv.Atoi(st[m[2]:m[3]])
	date, text, long = count, count+1, count+2
	xf := func(id int) string {
		return fmt.Sprintf(`<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, id)
	}
	st = st[:m[2]] + strconv.Itoa(count+3) + st[m[3]:]
	st = strings.Replace(st, "</cellXfs>", xf(14)+xf(49)+xf(176)+"</cellXfs>", 1)
	const custom = `<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/>`
	if i := strings.Index(st, "</numFmts>"); i >= 0 {
		if strings.Contains(st, `numFmtId="176"`) {
			return 0, 0, 0, fmt.Errorf("styles.xml already has a numFmt 176")
		}
		st = st[:i] + custom + st[i:]
		st = regexp.MustCompile(`<numFmts count="(\d+)"`).ReplaceAllStringFunc(st, func(s string) string {
			n, _ := strconv.Atoi(regexp.MustCompile(`\d+`).FindString(s))
			return fmt.Sprintf(`<numFmts count="%d"`, n+1)
		})
	} else {
		i := strings.Index(st, "<fonts")
		st = st[:i] + `<numFmts count="1">` + custom + `</numFmts>` + st[i:]
	}
	parts["xl/styles.xml"] = []byte(st)
	return date, text, long, nil
}

// sharedStrings reads the plain strings of Excel's table, to keep them at their indexes
// (the workbook's other sheets use them).
func sharedStrings(sst string) ([]string, map[string]int) {
	var out []string
	index := map[string]int{}
	for _, si := range regexp.MustCompile(`(?s)<si>(.*?)</si>|<si/>`).FindAllStringSubmatch(sst, -1) {
		var text strings.Builder
		for _, t := range regexp.MustCompile(`(?s)<t(?: [^>]*)?>(.*?)</t>`).FindAllStringSubmatch(si[1], -1) {
			text.WriteString(t[1])
		}
		if _, ok := index[text.String()]; !ok {
			index[text.String()] = len(out)
		}
		out = append(out, text.String())
	}
	return out, index
}

// writeSharedStrings appends the new strings to Excel's table as Chinese Excel writes
// them, each with its phonetic properties, and sets the counts.
func writeSharedStrings(sst string, strs []string, uses int) string {
	old := len(regexp.MustCompile(`(?s)<si>.*?</si>|<si/>`).FindAllString(sst, -1))
	phonetic := ""
	if strings.Contains(sst, "<phoneticPr") {
		phonetic = `<phoneticPr fontId="1" type="noConversion"/>`
	}
	var add strings.Builder
	for _, v := range strs[old:] {
		fmt.Fprintf(&add, `<si><t>%s</t>%s</si>`, v, phonetic)
	}
	count := regexp.MustCompile(` count="(\d+)"`).FindStringSubmatch(sst)
	n, _ := strconv.Atoi(count[1])
	sst = strings.Replace(sst, count[0], fmt.Sprintf(` count="%d"`, n+uses), 1)
	sst = regexp.MustCompile(` uniqueCount="\d+"`).ReplaceAllLiteralString(sst, fmt.Sprintf(` uniqueCount="%d"`, len(strs)))
	return strings.Replace(sst, "</sst>", add.String()+"</sst>", 1)
}
