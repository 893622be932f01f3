package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong"
)

// Field is one form control as a template draws it: its label, the value to show (what
// the user sent, after an error), its error, and the choices of a select.
type Field struct {
	Name, Label, Value, Err, Type string
	Options                       []Option
	Checked                       bool
	Required                      bool
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
}

// F builds a field of the page's form: the submitted value wins over the record's.
func (p *Page) F(name, labelKey, value string) Field {
	if v, ok := p.Form[name]; ok {
		value = strings.Join(v, "")
	}
	label := p.T(labelKey)
	return Field{Name: name, Label: label, Value: value, Err: p.namedErr(label, p.Err(name)), Type: "text"}
}

// ErrOf is a field's error naming the field by its label, for a form that draws its
// controls itself.
func (p *Page) ErrOf(field, labelKey string) string { return p.namedErr(p.T(labelKey), p.Err(field)) }

// namedErr is a field's error that names the field: 「必填。」 alone, under a label a
// phone has scrolled away, does not say which of twelve fields it is about.
func (p *Page) namedErr(label, msg string) string {
	if msg == "" || label == "" || strings.Contains(msg, label) {
		return msg
	}
	return p.T("form.field_error", label, msg)
}

// Check builds a checkbox field.
func (p *Page) Check(name, labelKey string, checked bool) Field {
	if len(p.Form) > 0 {
		checked = p.Form.Get(name) != ""
	}
	label := p.T(labelKey)
	return Field{Name: name, Label: label, Checked: checked, Err: p.namedErr(label, p.Err(name)), Type: "checkbox"}
}

// Sel builds a select field whose option labels are catalogue keys prefix+value.
func (p *Page) Sel(name, labelKey, value, prefix string, values []string) Field {
	f := p.F(name, labelKey, value)
	f.Type = "select"
	for _, v := range values {
		label := v
		if prefix != "" {
			label = p.T(prefix + v)
		}
		f.Options = append(f.Options, Option{Value: v, Label: label})
	}
	return f
}

// Typed sets a field's input type.
func (f Field) Typed(t string) Field { f.Type = t; return f }

// Opts sets a select's options.
func (f Field) Opts(o []Option) Field { f.Type, f.Options = "select", o; return f }

// form reads a submitted form into a value reader that gathers per-field errors.
type form struct {
	r   *http.Request
	err fugong.FieldErrors
}

func readForm(r *http.Request) (*form, error) {
	if err := r.ParseForm(); err != nil {
		return nil, fugong.Errorf(fugong.EMALFORMED, "error.bad_request")
	}
	return &form{r: r, err: fugong.FieldErrors{}}, nil
}

func (f *form) str(name string) string { return strings.TrimSpace(f.r.PostForm.Get(name)) }

func (f *form) bool(name string) bool { return f.r.PostForm.Get(name) != "" }

// int reads a whole number; empty is 0.
func (f *form) int(name string) int {
	v := f.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.err.Add(name, "field.number")
	}
	return n
}

func (f *form) int64(name string) int64 { return int64(f.int(name)) }

// yuan reads an amount of money in yuan, with up to two decimals, as fen.
func (f *form) yuan(name string) int64 {
	v := f.str(name)
	if v == "" {
		return 0
	}
	fen, ok := parseYuan(v)
	if !ok {
		f.err.Add(name, "field.money")
	}
	return fen
}

// idForm reads the id of the record a POST is about, then its form.
func idForm(r *http.Request) (int64, *form, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	f, err := readForm(r)
	return id, f, err
}

// save runs save when neither the form's own errors nor verr (the record's validation)
// stop it, and answers the first that stops it.
func (f *form) save(verr error, save func() error) error {
	if err := f.merge(verr); err != nil {
		return err
	}
	return save()
}

// merge adds the form's own errors to a validation error's.
func (f *form) merge(err error) error {
	if len(f.err) == 0 {
		return err
	}
	if err != nil {
		if e := fugong.AsError(err); e.Code == fugong.EINVALID {
			for k, v := range e.Fields {
				f.err.Add(k, v.Key, v.Args...)
			}
		} else {
			return err
		}
	}
	return f.err.Err()
}

// Pct shows a percentage computed by fugong.Percent: "100%", "99.4%".
func (p *Page) Pct(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "%" }

// Rate shows num ÷ den as Pct does, or — when nothing was due (den 0): a rate of nothing
// is neither 0 % nor 100 %.
func (p *Page) Rate(num, den int) string {
	if den <= 0 {
		return "—"
	}
	return p.Pct(fugong.Percent(num, den))
}

// fen2yuan shows fen as yuan for a form field.
func fen2yuan(fen int64) string {
	if fen == 0 {
		return ""
	}
	return strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(fen%100/10, 10) + strconv.FormatInt(fen%10, 10)
}

// afterSave answers a form POST: with err nil, a redirect to next with the flash; else
// the page that page builds, again, with the field errors (formError), the page's
// template being tmpl.
func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, err error, next, flash, tmpl string, page func() (*Page, error)) error {
	if err == nil {
		return redirect(w, r, next, flash)
	}
	p, perr := page()
	if perr != nil {
		return perr
	}
	return s.formError(w, r, p, tmpl, err)
}

// formAgain answers a failed save of a form whose page fill completes: the page titled
// titleKey again, with what was sent and err's field errors (status as render picks it),
// or err itself when it is of another kind.
func (s *Server) formAgain(w http.ResponseWriter, r *http.Request, err error, titleKey, tmpl string, fill func(*http.Request, *Page) error) error {
	p := s.newPage(r, titleKey)
	p.Form = r.PostForm
	if e := s.invalid(p, err); e != nil {
		return e
	}
	if err := fill(r, p); err != nil {
		return err
	}
	return s.render(w, r, tmpl, p)
}

// renderByID renders the page that page builds for the record whose id is in the path.
func (s *Server) renderByID(w http.ResponseWriter, r *http.Request, tmpl string, page func(*http.Request, int64) (*Page, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := page(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, tmpl, p)
}

// formError re-renders a form page with its field errors after an invalid submission, or
// returns the error when it is another kind.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, p *Page, name string, err error) error {
	if e := s.invalid(p, err); e != nil {
		return e
	}
	p.Form = r.PostForm
	status := http.StatusUnprocessableEntity
	if fugong.ErrorCode(err) == fugong.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderStatus(w, r, status, name, p)
}
