package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/xlsx"
)

// villagerJSON is a villager on a village's contact list (村民通讯录), the phone masked.
// A villager taken off the list (moved away) has retired_at and retired_by.
type villagerJSON struct {
	ID        int64  `json:"id"`
	Village   string `json:"village"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Poor      bool   `json:"poor"`
	Demo      bool   `json:"demo"`
	Version   int64  `json:"version"`
	CreatedAt string `json:"created_at"`
	RetiredAt string `json:"retired_at,omitempty"`
	RetiredBy string `json:"retired_by,omitempty"`
}

// villagerEditInput corrects a villager at the version read: every field as it should
// be. An empty phone, or the masked one as read, keeps the phone; an empty village keeps
// the village.
type villagerEditInput struct {
	Version int64  `json:"version" openapi:"required"`
	Village string `json:"village"`
	Name    string `json:"name" openapi:"required"`
	Phone   string `json:"phone"`
	Poor    bool   `json:"poor"`
}

// villagerRetireInput takes a villager off the list at the version read.
type villagerRetireInput struct {
	Version int64 `json:"version" openapi:"required"`
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
	out := villagerJSON{ID: v.ID, Village: v.Village, Name: v.Name, Phone: v.Phone, Poor: v.Poor, Demo: v.Demo, Version: v.Version, CreatedAt: s.rfc3339(v.CreatedAt)}
	if v.Retired() {
		out.RetiredAt, out.RetiredBy = s.rfc3339(v.RetiredAt), v.RetiredBy
	}
	return out
}

func (s *Server) getVillager(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.DB.FindVillager(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toVillagerJSON(v))
}

func (s *Server) updateVillager(w http.ResponseWriter, r *http.Request) error {
	var in villagerEditInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.DB.UpdateVillager(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, id, in.Version,
		fugong.VillagerEdit{Village: in.Village, Name: in.Name, Phone: in.Phone, Poor: in.Poor})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toVillagerJSON(v))
}

func (s *Server) retireVillager(w http.ResponseWriter, r *http.Request) error {
	var in villagerRetireInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	if err := s.DB.RetireVillager(r.Context(), sc, id, in.Version); err != nil {
		return err
	}
	v, err := s.DB.FindVillager(r.Context(), sc, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toVillagerJSON(v))
}

// exportVillagers streams the contact lists in scope as .xlsx with the import's columns,
// masked unless unmask=true for a role that may see personal data: the workers export's
// rule, each unmasked villager audited and the hour's unmasked views bounded.
func (s *Server) exportVillagers(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	un, err := s.exportUnmasked(r, "villagers", func() (int, error) {
		_, n, err := s.DB.FindVillagers(r.Context(), sc, s.Keys, fugong.VillagerFilter{Limit: 1})
		return n, err
	})
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter("村民通讯录", fugong.VillagerColumns)
	if err != nil {
		return err
	}
	lang := langOf(r)
	open := func(vs []fugong.Villager) error { return s.DB.UnmaskVillagers(r.Context(), sc, s.Keys, vs) }
	if !un {
		open = nil
	}
	return exportRows(w, xw, "villagers.xlsx", open, func(fn func(fugong.Villager) error) error { return s.DB.EachVillager(r.Context(), sc, fn) },
		func(v fugong.Villager) []any {
			return []any{v.Name, xlsx.Text(v.Phone), names[v.Village], s.Cat.T(lang, yesNo(v.Poor))}
		})
}

func (s *Server) listVillagers(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindVillagers(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, fugong.VillagerFilter{Query: r.URL.Query().Get("q"), Limit: limit, Offset: offset})
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
