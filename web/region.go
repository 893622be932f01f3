package web

import (
	"io"
	"net/http"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/xlsx"
)

type regionListData struct {
	Parent   fugong.Region
	Children []fugong.Region
}

func (s *Server) regionList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	code := r.URL.Query().Get("parent")
	if code == "" {
		code = sc.County
	}
	parent, err := s.DB.FindRegion(r.Context(), code)
	if err != nil {
		return err
	}
	children, err := s.DB.FindRegions(r.Context(), code)
	if err != nil {
		return err
	}
	p := s.newPage(r, "regions.title")
	p.Data = regionListData{Parent: parent, Children: children}
	return s.render(w, r, "region/list", p)
}

// RegionRows bounds a regions list: a province's townships and villages.
const RegionRows = 100_000

// regionImport reads an uploaded regions list — CSV (UTF-8 or GBK, as a spreadsheet saves
// it) or .xlsx, with the columns code, name, parent_code and level — and imports all of it
// or, when any cell is bad, none, naming every bad cell.
func (s *Server) regionImport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
	file, hdr, err := formFile(r, 32<<20)
	if err != nil {
		return err
	}
	defer file.Close()
	lim := xlsx.Limits{Rows: RegionRows, Unpacked: 32 << 20}
	var sheet *xlsx.Sheet
	if strings.HasSuffix(strings.ToLower(hdr.Filename), ".xlsx") {
		sheet, err = xlsx.Read(hdr.Filename, file, lim)
	} else {
		sheet, err = xlsx.ReadCSV(file, lim) // a list saved as .txt is CSV too
	}
	var regions []fugong.Region
	var lines []int
	var found map[string]string
	switch {
	case err != nil:
		err = xlsx.FileError(err, "region.columns")
	default:
		var missing []string
		if found, missing = regionColumns(sheet.Headers); len(missing) > 0 {
			err = fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("region.columns")})
			break
		}
		rows := make([]fugong.RegionLine, len(sheet.Rows))
		for i, x := range sheet.Rows {
			rows[i] = fugong.RegionLine{Line: x.Line, Code: x.Get(found["code"]), Name: x.Get(found["name"]), ParentCode: x.Get(found["parent_code"]), Level: x.Get(found["level"])}
		}
		regions, lines, err = fugong.RegionsFromLines(rows, xlsx.Code, nil)
	}
	if err == nil {
		err = s.DB.ImportRegions(r.Context(), sc.County, regions, func(i int) int { return lines[i] })
	}
	if err != nil {
		e := fugong.AsError(err)
		if e.Code != fugong.EINVALID {
			return err
		}
		p := s.newPage(r, "regions.title")
		p.Message = s.Cat.Msg(p.Lang, e.Message)
		p.Errors = s.cellErrors(p, fieldCells(e, found)) // each column named as the sheet heads it
		parent, _ := s.DB.FindRegion(r.Context(), sc.County)
		children, _ := s.DB.FindRegions(r.Context(), sc.County)
		p.Data = regionListData{Parent: parent, Children: children}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "region/list", p)
	}
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: "regions.imported_ok", Path: "/", MaxAge: 60, HttpOnly: true})
	http.Redirect(w, r, "/regions", http.StatusSeeOther)
	return nil
}

// regionColumns finds each column of a regions sheet among its headers, by any of the
// headers fugong.RegionHeaders gives it: the header found per column, and the columns
// missing.
func regionColumns(headers []string) (found map[string]string, missing []string) {
	found, _ = xlsx.FindColumns(headers, fugong.RegionHeaders)
	for _, col := range []string{"code", "name", "parent_code", "level"} {
		if found[col] == "" {
			missing = append(missing, col)
		}
	}
	return found, missing
}

// regionSheetTemplate answers the villages import's template as an office fills it
// (xlsx.Template): the Chinese headers, the two code columns formatted as text so that
// twelve digits stay twelve, the level offered as a drop-down, and an example village under
// the county's first township on the notes sheet.
func (s *Server) regionSheetTemplate(w http.ResponseWriter, r *http.Request) error {
	town, err := s.firstTownship(r)
	if err != nil {
		return err
	}
	h := fugong.RegionHeaders
	return sendTemplate(w, "villages-template.xlsx", s.Cat.T(i18n.Chinese, "regions.title"), []xlsx.Column{
		{Header: h["code"][1], Kind: xlsx.KindCode, Required: true, Example: town.Code[:9] + "201", Note: "12 位统计用区划代码"},
		{Header: h["name"][1], Required: true, Example: s.Cat.T(i18n.Chinese, "regions.template_village")},
		{Header: h["parent_code"][1], Kind: xlsx.KindCode, Required: true, Example: town.Code, Note: "村（社区）填所属乡镇的 12 位代码，乡镇填本县的 6 位代码"},
		{Header: h["level"][1], Required: true, Choices: []string{"乡镇（街道）", "村（社区）"}, Example: "村（社区）"},
	})
}

// firstTownship is the county's first township, or a made-up one of the county's code
// when it has none yet, for a template's example.
func (s *Server) firstTownship(r *http.Request) (fugong.Region, error) {
	sc := auth.ScopeFrom(r.Context())
	towns, err := s.DB.FindRegions(r.Context(), sc.County)
	if err != nil || len(towns) == 0 {
		return fugong.Region{Code: sc.County + "100000"}, err
	}
	return towns[0], nil
}

// regionTemplate answers the villages import's template: the header and one example
// village under the county's first township, with a byte-order mark so that a
// spreadsheet program opens it as UTF-8.
func (s *Server) regionTemplate(w http.ResponseWriter, r *http.Request) error {
	town, err := s.firstTownship(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="villages-template.csv"`)
	_, err = io.WriteString(w, "\ufeffcode,name,parent_code,level\r\n"+town.Code[:9]+"201,"+s.Cat.T(i18n.Chinese, "regions.template_village")+","+town.Code+",village\r\n")
	return err
}
