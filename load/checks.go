package load

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"fugong"
)

// worker_check: an enterprise records a temperature check of one of its workers on duty,
// as its gatekeepers do twice a day. Each request is a distinct worker, day and slot
// (a second check of the same slot is refused), so the run's checks start on a day of
// their own, far from the demo's and from other runs': one of the 7,000 days from 2000
// (a check is refused before 2000 and after tomorrow, fugong.CheckDay), a run's going on
// for a few dozen days.
func init() {
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rand.IntN(7_000))
	Ops["worker_check"] = Op{Name: "worker_check", Role: "enterprise", Want: http.StatusCreated, Workers: true,
		Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
			if len(a.Workers) == 0 {
				return "POST", "/api/v1/workers/0/checks", nil // answered 404, counted as an error
			}
			k := int(n)
			w, rest := a.Workers[k%len(a.Workers)], k/len(a.Workers)
			slot := []string{fugong.SlotMorning, fugong.SlotAfternoon}[rest%2]
			return "POST", fmt.Sprintf("/api/v1/workers/%d/checks", w), map[string]any{
				"day": epoch.AddDate(0, 0, rest/2).Format(time.DateOnly), "slot": slot, "temperature_tenths": 360 + rnd.IntN(13),
			}
		}}
}

// loadWorkers fills a.Workers with up to 50 of its enterprise's workers on duty.
func loadWorkers(ctx context.Context, c *http.Client, target string, a *Account) error {
	status, body, err := do(ctx, c, target, a.Token, "GET", "/api/v1/workers?limit=50&status="+url.QueryEscape(fugong.WorkerOnDuty), nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("workers of %s: %d %s", a.Username, status, body)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		return fmt.Errorf("workers of %s: %w", a.Username, err)
	}
	for _, w := range list.Items {
		a.Workers = append(a.Workers, w.ID)
	}
	return nil
}
