package server_test

import (
	"net/http"
	"testing"

	"fugong"
	"fugong/server"
)

// The pages and the API answer an error code with the same status.
func TestStatus(t *testing.T) {
	for code, want := range map[string]int{
		fugong.EINVALID:   http.StatusUnprocessableEntity,
		fugong.ENOTFOUND:  http.StatusNotFound,
		fugong.ECONFLICT:  http.StatusConflict,
		fugong.EFORBIDDEN: http.StatusForbidden,
		fugong.EUNAUTH:    http.StatusUnauthorized,
		fugong.ETOOMANY:   http.StatusTooManyRequests,
		fugong.EMALFORMED: http.StatusBadRequest,
		fugong.EINTERNAL:  http.StatusInternalServerError,
		"":                http.StatusInternalServerError,
	} {
		if got := server.Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}
