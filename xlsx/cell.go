package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Day reads a date cell as the offices' sheets hold it, answering YYYY-MM-DD: a date
// typed as a date (its serial number, as stored), or a date written as text in any of
// the common forms — 2020-03-09, 2020/3/9, 2020.3.9, 2020年3月9日, 20200309, and 3/9/20
// or 03/09/2020 as LibreOffice and an English Excel write a short date in a CSV (month
// first). A time after the date is ignored. Two-digit years are 1930–2029, as in Excel
// and LibreOffice. false when the cell holds no such date. A serial is read in the 1900
// date system; Row.Day reads a row's cells in its workbook's own.
func Day(cell string) (string, bool) { return day(cell, false) }

// day is Day, reading a serial in the 1904 date system when date1904 is set.
func day(cell string, date1904 bool) (string, bool) {
	s := strings.TrimSpace(cell)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	if s == "" {
		return "", false
	}
	if isSerial(s) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 1 || v >= 2958466 { // 9999-12-31 (in 1904's count, 1,462 fewer)
			return "", false
		}
		t, err := excelize.ExcelDateToTime(v, date1904)
		if err != nil || t.Year() > 9999 {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	if len(s) == 8 && allDigits(s) {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	slash := strings.Contains(s, "/")
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return "", false
	}
	n := make([]int, 3)
	for i, p := range parts {
		if p == "" || len(p) > 4 || !allDigits(p) {
			return "", false
		}
		n[i], _ = strconv.Atoi(p)
	}
	y, m, d := n[0], n[1], n[2]
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
	case slash && len(parts[0]) <= 2 && len(parts[1]) <= 2 && (len(parts[2]) == 2 || len(parts[2]) == 4):
		m, d, y = n[0], n[1], n[2]
		if len(parts[2]) == 2 {
			y += 1900
			if y < 1930 {
				y += 100
			}
		}
	default:
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1900 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// isSerial tells a date's serial number (43899, 43899.5) from a date written as text:
// five to seven digits, 1927-05-18 to 9999-12-31, so that a year alone (2020) is no date.
func isSerial(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return len(whole) >= 5 && len(whole) <= 7 && allDigits(whole) && allDigits(frac)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Code reads a code cell (a credit code, an ID number, a phone) as text. A code typed
// into a number cell is stored as a number: an exact one (13912345678, or 1.3912345678E+10
// as some programs write it) is given back as its digits; one of 16 digits or more
// written with an exponent (4.3082119850715E+17) has lost its last digits to the
// spreadsheet's 15 significant digits, and ok is false — the column must be made text
// and the codes typed again. Anything else is given back trimmed.
func Code(cell string) (code string, ok bool) {
	s := strings.TrimSpace(cell)
	if !strings.ContainsAny(s, ".eE") {
		return s, true
	}
	mant, exp, hasExp := strings.Cut(strings.ToUpper(s), "E")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || strings.Count(mant, ".") > 1 {
		return s, true
	}
	e := 0
	if hasExp {
		// Spreadsheets write an exponent with its sign (E+17, E+017); a credit code
		// may hold an E between digits, which is no number.
		if len(exp) < 2 || (exp[0] != '+' && exp[0] != '-') || !allDigits(exp[1:]) || len(exp) > 5 {
			return s, true
		}
		e, _ = strconv.Atoi(exp)
	}
	digits := strings.TrimLeft(whole+frac, "0")
	e -= len(frac)
	for e < 0 && strings.HasSuffix(digits, "0") {
		digits, e = digits[:len(digits)-1], e+1
	}
	if e < 0 {
		return s, true // not a whole number: no code
	}
	if digits == "" {
		return "0", true
	}
	n := len(digits) + e
	if hasExp && n > 15 {
		return s, false
	}
	return digits + strings.Repeat("0", e), true
}

// Decimal reads a number cell with at most places decimals: a number stored as binary
// (1234.5600000000002) is rounded to them when that is what it was typed as. Text that
// is no such number is given back trimmed, for the caller's own check to refuse.
func Decimal(cell string, places int) string {
	s := strings.TrimSpace(cell)
	_, frac, ok := strings.Cut(s, ".")
	if !ok && !strings.ContainsAny(s, "eE") || ok && len(frac) <= places {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || math.Abs(v) >= 1e15 {
		return s
	}
	r := strconv.FormatFloat(v, 'f', places, 64)
	if back, _ := strconv.ParseFloat(r, 64); math.Abs(back-v) > 1e-6*math.Max(1, math.Abs(v)) {
		return s
	}
	return r
}
