package web

import (
	"bytes"
	"io"
	"net/http"
	"sort"
	"strconv"
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

// regionImport reads an uploaded CSV and imports all of it or, when any line is bad,
// none, naming every bad line.
func (s *Server) regionImport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
	file, _, err := formFile(r, 32<<20)
	if err != nil {
		return err
	}
	defer file.Close()
	// A CSV saved by a Chinese spreadsheet program is GBK, without a mark.
	text, err := xlsx.DecodeText(file, 32<<20)
	var regions []fugong.Region
	var lines []int
	if err == nil {
		regions, lines, err = fugong.ParseRegionsCSV(bytes.NewReader(text))
	} else {
		err = xlsx.FileError(err, "region.columns")
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
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return lineNo(keys[i]) < lineNo(keys[j]) })
		for _, k := range keys {
			label := k
			if n := lineNo(k); n > 0 {
				label = p.T("import.line", n)
			}
			p.Errors = append(p.Errors, label+"："+s.Cat.Msg(p.Lang, e.Fields[k]))
		}
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

func lineNo(k string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(k, "line "))
	return n
}
