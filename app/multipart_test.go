package app_test

import (
	"bytes"
	"mime/multipart"
	"time"
)

const time60m = time.Hour

// multipartForm writes an upload form with the CSRF token and one file; it returns the
// content type.
func multipartForm(buf *bytes.Buffer, csrf string, file []byte) string {
	w := multipart.NewWriter(buf)
	w.WriteField("csrf", csrf)
	f, _ := w.CreateFormFile("file", "seekers.xlsx")
	f.Write(file)
	w.Close()
	return w.FormDataContentType()
}
