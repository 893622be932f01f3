package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

// villagerJSON is a villager on a village's contact list (村民通讯录), the phone masked.
type villagerJSON struct {
	ID        int64  `json:"id"`
	Village   string `json:"village"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Poor      bool   `json:"poor"`
	Demo      bool   `json:"demo"`
	CreatedAt string `json:"created_at"`
}

// villagerInput adds a villager; a village cadre's lies in their own village.
type villagerInput struct {
	Village string `json:"village"`
	Name    string `json:"name" openapi:"required"`
	Phone   string `json:"phone" openapi:"required"`
	Poor    bool   `json:"poor"`
}

// optOutJSON is a phone on the county's opt-out list (退订), masked.
type optOutJSON struct {
	Phone      string `json:"phone"`
	Source     string `json:"source"`
	RecordedBy string `json:"recorded_by"`
	At         string `json:"at"`
}

// optOutInput names the phone of a villager who asks for no more broadcasts.
type optOutInput struct {
	Phone string `json:"phone" openapi:"required"`
}

// optOutUndoInput takes a phone off the opt-out list at the villager's request, saying
// how they asked.
type optOutUndoInput struct {
	Phone string `json:"phone" openapi:"required"`
	Note  string `json:"note" openapi:"required"`
}

func (s *Server) toVillagerJSON(v fugong.Villager) villagerJSON {
	return villagerJSON{ID: v.ID, Village: v.Village, Name: v.Name, Phone: v.Phone, Poor: v.Poor, Demo: v.Demo, CreatedAt: s.rfc3339(v.CreatedAt)}
}

func (s *Server) listVillagers(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindVillagers(r.Context(), auth.ScopeFrom(r.Context()), limit, offset)
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.toVillagerJSON)
}

func (s *Server) createVillager(w http.ResponseWriter, r *http.Request) error {
	var in villagerInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	v := fugong.Villager{Village: in.Village, Name: in.Name, Phone: in.Phone, Poor: in.Poor}
	if err := s.DB.CreateVillager(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &v); err != nil {
		return err
	}
	v.Phone = fugong.MaskPhone(v.Phone)
	return writeJSON(w, http.StatusCreated, s.toVillagerJSON(v))
}

func (s *Server) listOptOuts(w http.ResponseWriter, r *http.Request) error {
	limit, _, err := paging(r)
	if err != nil {
		return err
	}
	items, err := s.DB.FindOptOuts(r.Context(), auth.ScopeFrom(r.Context()), limit)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items), func(o fugong.OptOut) optOutJSON {
		return optOutJSON{Phone: o.Phone, Source: o.Source, RecordedBy: o.RecordedBy, At: s.rfc3339(o.At)}
	})
}

func (s *Server) createOptOut(w http.ResponseWriter, r *http.Request) error {
	var in optOutInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := s.DB.OptOut(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, in.Phone); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) undoOptOut(w http.ResponseWriter, r *http.Request) error {
	var in optOutUndoInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := s.DB.DeleteOptOut(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, in.Phone, in.Note); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
