package gen

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// bar draws a progress bar on a terminal line: [#####.....] 45% enterprises 12s.
type bar struct {
	w            io.Writer
	total, count int
	name         string
	start, last  time.Time
}

func newBar(w io.Writer, total int) *bar {
	return &bar{w: w, total: max(1, total), start: time.Now()}
}

func (b *bar) step(name string) { b.name = name; b.draw(true) }

func (b *bar) add(n int) {
	b.count += n
	b.draw(false)
}

func (b *bar) draw(force bool) {
	if b.w == nil || (!force && time.Since(b.last) < 200*time.Millisecond) {
		return
	}
	b.last = time.Now()
	pct := min(100, b.count*100/b.total)
	fmt.Fprintf(b.w, "\r[%s%s] %3d%% %-12s %s", strings.Repeat("#", pct/4), strings.Repeat(".", 25-pct/4), pct, b.name, time.Since(b.start).Round(time.Second))
}

// took writes how long a step took on a line of its own above the bar.
func (b *bar) took(name string, d time.Duration) {
	if b.w == nil {
		return
	}
	fmt.Fprintf(b.w, "\r%-60s\n", fmt.Sprintf("%s: %s", name, d.Round(100*time.Millisecond)))
	b.draw(true)
}

func (b *bar) done() {
	if b.w == nil {
		return
	}
	b.count = b.total
	b.name = "done"
	b.draw(true)
	fmt.Fprintln(b.w)
}
