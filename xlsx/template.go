package xlsx

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// Kind says how a template's column holds what an office types into it.
type Kind int

// The kinds of a template's column.
const (
	// KindWords: text, or one of the column's Choices.
	KindWords Kind = iota
	// KindCode: a credit code, ID number or phone. The column is formatted as text (@) before
	// anything is typed, so that 18 digits stay 18 digits instead of 4.3082E+17.
	KindCode
	// KindDate: a date cell, shown yyyy-mm-dd; 2020/3/9 typed there becomes a date.
	KindDate
	// KindMoney: an amount in yuan with two decimals.
	KindMoney
	// KindNumber: a number (a count, a percentage point, kilowatt-hours).
	KindNumber
)

// Column is one column of an import's template.
type Column struct {
	Header   string
	Kind     Kind
	Required bool
	// Choices are the words the column takes, offered as a drop-down (other text may
	// still be typed: the import names what it does not take).
	Choices []string
	// Example is the example's value: a string, a number, or for a KindDate "2020-03-09".
	Example any
	// Note says what to write.
	Note string
}

// templateRows are the rows of a template's first sheet formatted and offered drop-downs.
const templateRows = 5000

// NotesSheet is the name of a template's second sheet: an example and what each column
// takes. The imports read the first sheet only.
const NotesSheet = "填写说明"

// Template builds an import's template. Its first sheet, named sheet, holds the header
// alone (bold, frozen), each column formatted for what it takes before anything is typed
// — codes as text, dates as dates, money with two decimals — with a column's Choices as a
// drop-down; filled in and uploaded as it is, it imports. The second sheet (NotesSheet)
// lists every column: required or not, its format, the words it takes, an example typed
// as the first sheet holds it, and what to write. The example is kept off the first sheet,
// so that a template filled in below it does not import it as a row.
func Template(sheet string, cols []Column) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	styleOf := map[Kind]int{KindCode: st.text, KindDate: st.date, KindMoney: st.money}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		cell := name + "1"
		if err := f.SetCellValue(sheet, cell, c.Header); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sheet, cell, cell, st.head); err != nil {
			return nil, err
		}
		width := float64(textWidth(c.Header) + 4)
		for _, w := range c.Choices {
			width = max(width, float64(textWidth(w)+4))
		}
		if c.Kind == KindCode || c.Kind == KindDate {
			width = max(width, 20)
		}
		if err := f.SetColWidth(sheet, name, name, width); err != nil {
			return nil, err
		}
		if s, ok := styleOf[c.Kind]; ok {
			if err := f.SetColStyle(sheet, name, s); err != nil {
				return nil, err
			}
			// The header keeps its own style over the column's.
			if err := f.SetCellStyle(sheet, cell, cell, st.head); err != nil {
				return nil, err
			}
		}
		if len(c.Choices) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", name, name, templateRows+1)
			if err := dv.SetDropList(c.Choices); err != nil {
				return nil, err
			}
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	if err := notes(f, st, cols); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// kindWords say a column's format on the notes sheet.
var kindWords = map[Kind]string{KindWords: "文字", KindCode: "文本格式（整列已设为文本，数字不会变成科学计数）", KindDate: "日期（如 2020-03-09，也可写 2020/3/9）",
	KindMoney: "金额（元，两位小数）", KindNumber: "数字"}

// notes writes the notes sheet: one row per column.
func notes(f *excelize.File, st styles, cols []Column) error {
	if _, err := f.NewSheet(NotesSheet); err != nil {
		return err
	}
	head := []any{"列名", "是否必填", "格式", "可填的值", "示例", "说明"}
	if err := f.SetSheetRow(NotesSheet, "A1", &head); err != nil {
		return err
	}
	if err := f.SetCellStyle(NotesSheet, "A1", "F1", st.head); err != nil {
		return err
	}
	widths := []float64{18, 10, 30, 30, 24, 50}
	for i, c := range cols {
		req := "选填"
		if c.Required {
			req = "必填"
		}
		choices := ""
		for j, w := range c.Choices {
			if j > 0 {
				choices += "、"
			}
			choices += w
		}
		row := i + 2
		values := []any{c.Header, req, kindWords[c.Kind], choices, nil, c.Note}
		if err := f.SetSheetRow(NotesSheet, fmt.Sprintf("A%d", row), &values); err != nil {
			return err
		}
		ex := fmt.Sprintf("E%d", row)
		var v any = c.Example
		switch c.Kind {
		case KindCode:
			if err := f.SetCellStyle(NotesSheet, ex, ex, st.text); err != nil {
				return err
			}
		case KindDate:
			if s, ok := c.Example.(string); ok && s != "" {
				d, err := time.Parse(time.DateOnly, s)
				if err != nil {
					return fmt.Errorf("template %s: example date %q: %w", c.Header, s, err)
				}
				v = d
			}
			if err := f.SetCellStyle(NotesSheet, ex, ex, st.date); err != nil {
				return err
			}
		case KindMoney:
			if err := f.SetCellStyle(NotesSheet, ex, ex, st.money); err != nil {
				return err
			}
		}
		if v != nil {
			if err := f.SetCellValue(NotesSheet, ex, v); err != nil {
				return err
			}
		}
		widths[0] = max(widths[0], float64(textWidth(c.Header)+2))
		widths[3] = min(60, max(widths[3], float64(textWidth(choices)+2)))
		widths[5] = min(80, max(widths[5], float64(textWidth(c.Note)+2)))
	}
	for i, w := range widths {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(NotesSheet, name, name, w); err != nil {
			return err
		}
	}
	return nil
}
