package fugong

// The four responsibilities (四个责任) for every enterprise, under the rule 谁用工、谁管理、
// 谁负责: the enterprise itself (企业主体), its township (乡镇属地), the department that
// supervises its focus area (部门监管) and its liaison (联络员服务).
const (
	DutyEnterprise = "enterprise"
	DutyTownship   = "township"
	DutyDepartment = "department"
	DutyLiaison    = "liaison"
)

// Duties lists the four in the order the county names them.
var Duties = []string{DutyEnterprise, DutyTownship, DutyDepartment, DutyLiaison}

// Person is the one named for a responsibility: who, and how to reach them.
type Person struct {
	Name  string
	Phone string
	// Unit is the body they answer for (the township government, the department).
	Unit string
	// Overridden is set when the county named this person by hand.
	Overridden bool
}

// Responsibilities is the chain of responsibility of one enterprise.
type Responsibilities struct {
	EnterpriseID   int64
	EnterpriseName string
	Township       string
	FocusArea      string
	// Named maps each duty to its person; a missing duty is a gap.
	Named map[string]Person
}

// Gaps lists the duties nobody is named for.
func (r Responsibilities) Gaps() []string {
	var out []string
	for _, d := range Duties {
		if r.Named[d].Name == "" {
			out = append(out, d)
		}
	}
	return out
}

// Resolve fills each duty: an override wins; otherwise the candidate derived from links and
// org units. candidates and overrides are keyed by duty.
func Resolve(candidates, overrides map[string]Person) map[string]Person {
	out := map[string]Person{}
	for _, d := range Duties {
		if o, ok := overrides[d]; ok && o.Name != "" {
			o.Overridden = true
			out[d] = o
		} else if c, ok := candidates[d]; ok && c.Name != "" {
			out[d] = c
		}
	}
	return out
}

// SupervisingDepartment picks, of the departments that supervise focus (each given with
// the list of focus areas it covers), the most specific: the one covering fewest areas;
// ties go to the first. It returns -1 when none covers focus.
func SupervisingDepartment(focus string, covers [][]string) int {
	best := -1
	for i, areas := range covers {
		if focus == "" || !oneOf(focus, areas) {
			continue
		}
		if best < 0 || len(areas) < len(covers[best]) {
			best = i
		}
	}
	return best
}

// SupervisingDepartmentOf is SupervisingDepartment for an enterprise: a poverty workshop
// (扶贫车间) is supervised by the department that covers WorkshopArea, whatever its focus
// area; without one, or for any other enterprise, by the one covering its focus area.
func SupervisingDepartmentOf(focus string, workshop bool, covers [][]string) int {
	if workshop {
		if i := SupervisingDepartment(WorkshopArea, covers); i >= 0 {
			return i
		}
	}
	return SupervisingDepartment(focus, covers)
}
