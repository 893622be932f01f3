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
	switch {
	case err != nil:
		err = xlsx.FileError(err, "region.columns")
	case len(sheet.Missing("code", "name", "parent_code", "level")) > 0:
		err = fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("region.columns")})
	default:
		rows := make([]fugong.RegionLine, len(sheet.Rows))
		for i, x := range sheet.Rows {
			rows[i] = fugong.RegionLine{Line: x.Line, Code: x.Get("code"), Name: x.Get("name"), ParentCode: x.Get("parent_code"), Level: x.Get("level")}
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
		p.Errors = s.cellErrors(p, fieldCells(e, nil))
		parent, _ := s.DB.FindRegion(r.Context(), sc.County)
		children, _ := s.DB.FindRegions(r.Context(), sc.County)
		p.Data = regionListData{Parent: parent, Children: children}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "region/list", p)
	}
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: "regions.imported_ok", Path: "/", MaxAge: 60, HttpOnly: true})
	http.Redirect(w, r, "/regions", http.StatusSeeOther)
	return nil
}

// regionTemplate answers the villages import's template: the header and one example
// village under the county's first township, with a byte-order mark so that a
// spreadsheet program opens it as UTF-8.
func (s *Server) regionTemplate(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	towns, err := s.DB.FindRegions(r.Context(), sc.County)
	if err != nil {
		return err
	}
	town := fugong.Region{Code: sc.County + "100000"}
	if len(towns) > 0 {
		town = towns[0]
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="villages-template.csv"`)
	_, err = io.WriteString(w, "\ufeffcode,name,parent_code,level\r\n"+town.Code[:9]+"201,"+s.Cat.T(i18n.Chinese, "regions.template_village")+","+town.Code+",village\r\n")
	return err
}
