package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

// targetReaders see the targets board; targetEditors report progress (the store decides the same).
var (
	targetReaders = fugong.RolesFor(fugong.PermTargetView)
	targetEditors = fugong.RolesFor(fugong.PermTargetEdit)
)

// targetBoard shows every target with its progress, its missed weeks and its assessment
// against the plan, with a weekly report form for those who keep them.
func (s *Server) targetBoard(w http.ResponseWriter, r *http.Request) error {
	p, err := s.targetBoardPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "target/board", p)
}

func (s *Server) targetBoardPage(r *http.Request) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	boards, err := s.DB.TargetBoards(r.Context(), sc, 0)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.targets")
	p.Data = struct {
		Items     []store.TargetBoard
		CanReport bool
	}{boards, sc.Is(targetEditors...)}
	return p, nil
}

func (s *Server) targetReport(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	rep := fugong.TargetReport{TargetID: id, Week: f.str("week"), Done: f.int64("done"), Note: f.str("note")}
	err = f.save(nil, func() error { return s.DB.SaveTargetReport(r.Context(), auth.ScopeFrom(r.Context()), &rep) })
	return s.afterSave(w, r, err, "/targets#t"+strconv.FormatInt(id, 10), "form.saved", "target/board",
		func() (*Page, error) { return s.targetBoardPage(r) })
}
