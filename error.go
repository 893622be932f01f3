package fugong

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the delivery packages.
const (
	EINVALID   = "invalid"   // the input breaks a rule; Fields says where
	ENOTFOUND  = "not_found" // missing, or out of the caller's scope
	ECONFLICT  = "conflict"  // a duplicate, or an edit of a stale version
	EFORBIDDEN = "forbidden" // the role may not do this at all
	EUNAUTH    = "unauthorized"
	ETOOMANY   = "too_many"  // slow down: too many attempts
	EMALFORMED = "malformed" // the request itself cannot be read: a broken form or JSON body
	// EUNAVAILABLE: the change cannot be kept now (the database's disk is full); nothing
	// was saved, and the same request may be sent again later.
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal" // a fault; the user sees a generic message
)

// Msg is a message in the user's language, named by its catalogue key with the values it
// takes, so that the domain never holds Chinese or English text.
type Msg struct {
	Key  string
	Args []any
	// Label names the field a field message is about, for a field whose name the
	// catalogue cannot label (a checklist item, a county setting): nil for the others,
	// whose label is the catalogue's label.FIELD.
	Label *Msg
}

// M builds a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// Error is the one error type that crosses package lines. Its Message and Fields are safe
// to show; anything else stays in the log.
type Error struct {
	Code    string
	Message Msg
	// Fields holds one message per field (or per "row 3, column 信用代码" for imports).
	Fields map[string]Msg
	// Err is the underlying cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message.Key
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a code and a message key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Message: M(key, args...)}
}

// Invalid returns an invalid-input error with per-field messages.
func Invalid(fields map[string]Msg) *Error {
	return &Error{Code: EINVALID, Message: M("error.invalid"), Fields: fields}
}

// NotFound is the answer for missing and out-of-scope things alike.
func NotFound() *Error { return Errorf(ENOTFOUND, "error.not_found") }

// Conflict reports a duplicate or a stale edit.
func Conflict(key string, args ...any) *Error { return Errorf(ECONFLICT, key, args...) }

// ErrorCode returns the code of an *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the *Error in err's chain, or a generic internal one wrapping err.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EINTERNAL, Message: M("error.internal"), Err: err}
}

// FieldErrors gathers per-field messages while validating.
type FieldErrors map[string]Msg

// Add records a message for a field, keeping the first one.
func (f FieldErrors) Add(field, key string, args ...any) {
	if _, ok := f[field]; !ok {
		f[field] = M(key, args...)
	}
}

// AddLabelled records a message for a field named at run time, with the label that names
// it for a person (M("label.quoted", item.Text), a setting's own label).
func (f FieldErrors) AddLabelled(field string, label Msg, key string, args ...any) {
	if _, ok := f[field]; !ok {
		m := M(key, args...)
		m.Label = &label
		f[field] = m
	}
}

// Err returns nil when no field failed, else an invalid *Error.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f)
}
