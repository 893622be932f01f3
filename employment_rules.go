package fugong

// MayReportWorkshop says whether the caller is shown a workshop's daily form: the
// workshop itself, its village and township, the command; a liaison for those they are
// stationed at (the store checks the assignment). An enterprise sees its own form only.
func MayReportWorkshop(sc Scope, w Workshop) bool {
	switch sc.Role {
	case RoleEnterprise:
		return w.EnterpriseID == sc.EnterpriseID
	case RoleVillage:
		return w.Village == sc.Region
	case RoleTownship:
		return w.Township == sc.Region
	case RoleLiaison, RoleCommand, RoleAdmin:
		return true
	}
	return false
}

// About writes a headcount the way the offices round it in a sentence: a round ten as it
// is ("200人"), just under one as nearly it ("近200人" for 196), just over one as more than
// it ("200多人" for 201 — never "近210人"). It returns the catalogue key and the number.
func About(n int) (string, int) {
	switch r := n % 10; {
	case n < 10 || r == 0:
		return "about.exact", n
	case r >= 5:
		return "about.near", n + 10 - r
	default:
		return "about.over", n - r
	}
}

// ReferralNotice is what the enterprise is told of a referral: who is coming, for which
// posting, and the matchmaker's note. The seeker's phone is not in it: the enterprise
// sees it on the referral, masked as its role allows.
func ReferralNotice(r Referral) string {
	s := r.SeekerName + " → " + r.PostingTitle
	if r.Note != "" {
		s += " · " + r.Note
	}
	return s
}

// PlacedStates are the referral states that mean a seeker has a job: hired or on duty. A
// placed seeker leaves the match lists and gets no more job broadcasts.
var PlacedStates = []string{ReferralHired, ReferralOnDuty}
