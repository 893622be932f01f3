package fugong

import (
	"testing"
	"time"
)

func TestWhoConfirmsADemand(t *testing.T) {
	const solver, other = 7, 9
	for _, tt := range []struct {
		name string
		role Role
		user int64
		note string
		code string
	}{
		{"the enterprise", RoleEnterprise, other, "", ""},
		{"command with a note", RoleCommand, other, "电话回访确认", ""},
		{"command without a note", RoleCommand, other, "", EINVALID},
		{"command that solved it", RoleCommand, solver, "电话回访确认", EFORBIDDEN},
		{"the liaison", RoleLiaison, solver, "", EFORBIDDEN},
		{"another liaison", RoleLiaison, other, "", EFORBIDDEN},
		{"admin", RoleAdmin, other, "", EFORBIDDEN},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := DemandStep{Action: ActConfirm, Rating: 4, Note: tt.note}
			_, err := FindTransition(ActConfirm, DemandSolved, tt.role)
			if err == nil {
				err = st.CheckConfirmer(tt.role, tt.user, solver)
			}
			if got := map[bool]string{true: ErrorCode(err), false: ""}[err != nil]; got != tt.code {
				t.Errorf("got %v, want %q", err, tt.code)
			}
		})
	}
	if err := (&DemandStep{Action: ActConfirm}).Validate(); AsError(err).Fields["rating"].Key != "demand.rating_invalid" {
		t.Errorf("a confirmation without a rating: %v", err)
	}
}

func TestReopenKeepsTheFirstClock(t *testing.T) {
	in := time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)
	d := Demand{State: DemandSolved, ReceivedAt: in, SolutionDue: in.Add(24 * time.Hour)}
	d.RecordSolved(in.Add(2 * time.Hour))
	d.Reopen()
	if !d.SolutionDue.Equal(in.Add(24*time.Hour)) || d.Reopens != 1 || !d.SolvedAt.IsZero() {
		t.Fatalf("after a reopen: due %v, reopens %d, solved %v", d.SolutionDue, d.Reopens, d.SolvedAt)
	}
	d.RecordSolved(in.Add(5 * time.Hour)) // within the first deadline, but reopened
	d.State = DemandSolved
	var f DemandFigures
	f.Add(d, in.Add(6*time.Hour))
	if f.Solved != 1 || f.SolvedOnTime != 0 {
		t.Errorf("a reopened demand solved within its first clock: %d solved, %d on time; want 1, 0", f.Solved, f.SolvedOnTime)
	}
}

func TestCheckOwnEnterprise(t *testing.T) {
	ent := Scope{Role: RoleEnterprise, EnterpriseID: 5}
	for _, tt := range []struct {
		sc      Scope
		id, got int64
		bad     bool
	}{
		{ent, 0, 5, false},
		{ent, 5, 5, false},
		{ent, 6, 6, true},
		{Scope{Role: RoleLiaison}, 6, 6, false},
	} {
		got, err := CheckOwnEnterprise(tt.sc, tt.id)
		if got != tt.got || (err != nil) != tt.bad {
			t.Errorf("%s giving %d: %d, %v", tt.sc.Role, tt.id, got, err)
		}
	}
}
