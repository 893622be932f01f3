package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type checklistData struct {
	Items      []fugong.ChecklistItem
	FocusAreas []string
	CanEdit    bool
}

func (s *Server) checklistPage(r *http.Request) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	items, err := s.DB.FindChecklist(r.Context(), sc.County, "*")
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.checklist")
	p.Data = checklistData{Items: items, FocusAreas: fugong.FocusAreas, CanEdit: sc.Can(fugong.PermChecklistEdit)}
	return p, nil
}

func (s *Server) checklistList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.checklistPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "checklist/list", p)
}

// checklistSave creates a standard, or with an id path value updates one.
func (s *Server) checklistSave(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	it := fugong.ChecklistItem{FocusArea: f.str("focus_area"), Position: f.int("position"), Text: f.str("text"), Required: f.bool("required"), Version: f.int64("version")}
	if r.PathValue("id") != "" {
		if it.ID, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	err = f.save(nil, func() error { return s.DB.SaveChecklistItem(r.Context(), auth.ScopeFrom(r.Context()), &it) })
	return s.afterSave(w, r, err, "/checklist", "form.saved", "checklist/list", func() (*Page, error) { return s.checklistPage(r) })
}

func (s *Server) checklistDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.DB.DeleteChecklistItem(r.Context(), auth.ScopeFrom(r.Context()), id); err != nil {
		return err
	}
	return redirect(w, r, "/checklist", "form.saved")
}
