package fugong

import "testing"

func TestDailyNeedAndCover(t *testing.T) {
	// The seed: 430 on the payroll, 70 % attendance, about 300 masks a day, stock for about 5 days.
	need := DailyNeed(430, DefaultSupplySettings)
	if need != 301 {
		t.Fatalf("daily need of 430 at 70 %% = %d, want 301", need)
	}
	if c := DaysOfCover(1505, need); c != 50 {
		t.Fatalf("1505 masks cover %d tenths of a day, want 50", c)
	}
	tests := []struct {
		payroll int
		s       SupplySettings
		want    int
	}{
		{0, DefaultSupplySettings, 0},
		{1, DefaultSupplySettings, 1}, // 0.7 rounds up
		{100, SupplySettings{AttendancePct: 100, MasksPerPerson: 2}, 200},
		{204, SupplySettings{AttendancePct: 50, MasksPerPerson: 1}, 102},
	}
	for _, tt := range tests {
		if got := DailyNeed(tt.payroll, tt.s); got != tt.want {
			t.Errorf("DailyNeed(%d, %+v) = %d, want %d", tt.payroll, tt.s, got, tt.want)
		}
	}
	if DaysOfCover(10, 0) != -1 || DaysOfCover(-5, 10) != 0 {
		t.Error("edge cases of days of cover")
	}
}

func TestSupplyShortage(t *testing.T) {
	s := DefaultSupplySettings
	tests := []struct {
		name        string
		stock, need int
		open        bool
		raise       bool
		qty         int
	}{
		{"five days of cover", 1505, 301, false, true, 301*7 - 1505},
		{"exactly the threshold", 301 * 7, 301, false, false, 0},
		{"one mask short of it", 301*7 - 1, 301, false, true, 1},
		{"already open", 100, 301, true, false, 0},
		{"no need", 0, 0, false, false, 0},
		{"negative stock", -10, 10, false, true, 70},
	}
	for _, tt := range tests {
		raise, qty := SupplyShortage(tt.stock, tt.need, s, tt.open)
		if raise != tt.raise || qty != tt.qty {
			t.Errorf("%s: got %v %d, want %v %d", tt.name, raise, qty, tt.raise, tt.qty)
		}
	}
	if raise, _ := SupplyShortage(0, 10, SupplySettings{ThresholdDays: 0}, false); raise {
		t.Error("a threshold of 0 days never raises")
	}
}
