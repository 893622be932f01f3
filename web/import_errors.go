package web

import (
	"sort"
	"strings"

	"fugong"
	"fugong/store"
)

// cellErrors puts the bad cells of an import into words, in sheet order, the one way
// every import says them: "第 3 行 · 统一社会信用代码：…". A cell of no column (a line
// that cannot be read) says "第 3 行：…"; what is wrong with the file as a whole (line 0)
// says its message alone.
func (s *Server) cellErrors(p *Page, cells []store.RowError) []string {
	sort.SliceStable(cells, func(i, j int) bool {
		if cells[i].Line != cells[j].Line {
			return cells[i].Line < cells[j].Line
		}
		return cells[i].Column < cells[j].Column
	})
	out := make([]string, len(cells))
	for i, c := range cells {
		msg := s.Cat.Msg(p.Lang, c.Msg)
		switch {
		case c.Line <= 0 && (c.Column == "" || c.Column == "file"):
			out[i] = msg
		case c.Line <= 0:
			out[i] = c.Column + "：" + msg
		case c.Column == "":
			out[i] = p.T("import.line", c.Line) + "：" + msg
		case strings.HasPrefix(msg, c.Column+"："): // the message names its column itself
			out[i] = p.T("import.line", c.Line) + " · " + msg
		default:
			out[i] = p.T("import.line", c.Line) + " · " + c.Column + "：" + msg
		}
	}
	return out
}

// fieldCells reads the fields of an invalid error, keyed by fugong.CellKey, as cells,
// naming a field by its column through labels where it has one.
func fieldCells(e *fugong.Error, labels map[string]string) []store.RowError {
	out := make([]store.RowError, 0, len(e.Fields))
	for k, m := range e.Fields {
		line, col := fugong.SplitCellKey(k)
		if l, ok := labels[col]; ok {
			col = l
		}
		out = append(out, store.RowError{Line: line, Column: col, Msg: m})
	}
	return out
}
