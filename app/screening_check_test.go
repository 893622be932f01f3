package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// The daily readings of a person screened at home have an API with the page's rules: a
// thermometer's range, one a day, only on a day of home isolation after the screening,
// never ahead of today; a symptom alerts command; the reading is sealed at rest and another
// village's cadre cannot reach it. The page takes symptoms too.
func TestHomeIsolationReadingsByAPIAndPage(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB
		web := env.Login(t, "village001")
		for _, name := range []string{"周居家", "郑已满"} {
			if status, _, body := web.Form("/screenings", url.Values{"name": {name}, "from_region": {"湖北省武汉市"}, "returned_on": {"2020-03-06"}}); status != http.StatusSeeOther {
				t.Fatalf("screening %s: %d %s", name, status, body)
			}
		}
		var zhou, zheng int64
		db.R.QueryRow(`SELECT id FROM screenings WHERE name = '周居家'`).Scan(&zhou)
		db.R.QueryRow(`SELECT id FROM screenings WHERE name = '郑已满'`).Scan(&zheng)
		// 周居家 was screened on 7 March, the day after coming back; 郑已满 came back on 10
		// February, so home isolation ended on 23 February (released on the 24th).
		if _, err := db.W.Exec(`UPDATE screenings SET day = '2020-03-07' WHERE id = $1`, zhou); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.Exec(`DELETE FROM screenings WHERE id = $1`, zheng); err != nil {
			t.Fatal(err)
		}
		if status, _, body := web.Form("/screenings", url.Values{"name": {"郑已满"}, "from_region": {"湖北省武汉市"}, "returned_on": {"2020-02-10"}}); status != http.StatusSeeOther {
			t.Fatalf("screening 郑已满: %d %s", status, body)
		}
		db.R.QueryRow(`SELECT id FROM screenings WHERE name = '郑已满'`).Scan(&zheng)
		if _, err := db.W.Exec(`UPDATE screenings SET day = '2020-02-12' WHERE id = $1`, zheng); err != nil {
			t.Fatal(err)
		}

		api := env.APIClient(t, "village001")
		status, b := api.JSON("GET", "/api/v1/screenings", nil)
		if status != http.StatusOK || !strings.Contains(string(b), fmt.Sprintf(`"id":%d`, zhou)) || !strings.Contains(string(b), `"owes_check":true`) {
			t.Errorf("the screenings: %d %s", status, b)
		}
		path := fmt.Sprintf("/api/v1/screenings/%d/checks", zhou)
		for _, tt := range []struct {
			name        string
			in          map[string]any
			field, want string
		}{
			{"33.5 °C", map[string]any{"day": "2020-03-08", "temperature_tenths": 335}, "temperature_tenths", "体温"},
			{"the screening's own day", map[string]any{"day": "2020-03-07", "temperature_tenths": 365}, "day", "2020-03-08 至 2020-03-19"},
			{"a day ahead of today", map[string]any{"day": "2020-03-10", "temperature_tenths": 365}, "day", "日期：不能晚于今天"},
			{"year 0", map[string]any{"day": "0000-01-01", "temperature_tenths": 365}, "day", "2000"},
		} {
			if status, b := api.JSON("POST", path, tt.in); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"`+tt.field+`"`) || !strings.Contains(string(b), tt.want) {
				t.Errorf("%s: %d %s, want 422 naming %s", tt.name, status, b, tt.field)
			}
		}
		if status, b := api.JSON("POST", fmt.Sprintf("/api/v1/screenings/%d/checks", zheng), map[string]any{"temperature_tenths": 365}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), "2020-02-13 至 2020-02-23") {
			t.Errorf("a reading after home isolation ended: %d %s", status, b)
		}
		if status, b := api.JSON("POST", path, map[string]any{"day": "2020-03-08", "temperature_tenths": 366, "symptoms": "干咳"}); status != http.StatusCreated || !strings.Contains(string(b), `"alert":true`) {
			t.Fatalf("a reading with a symptom: %d %s", status, b)
		}
		if status, b := api.JSON("POST", path, map[string]any{"day": "2020-03-08", "temperature_tenths": 365}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), "已经登记过") {
			t.Errorf("a second reading of the day: %d %s", status, b)
		}
		// The page: today's reading with a symptom.
		if status, _, body := web.Form(fmt.Sprintf("/screenings/%d/checks", zhou), url.Values{"reading": {"36.8"}, "symptoms": {"乏力"}}); status != http.StatusSeeOther {
			t.Fatalf("the page's reading with a symptom: %d %s", status, body)
		}
		status, b = api.JSON("GET", path+"?from=2020-03-08&to=2020-03-09", nil)
		if status != http.StatusOK || !strings.Contains(string(b), `"symptoms":"乏力"`) || !strings.Contains(string(b), `"symptoms":"干咳"`) || !strings.Contains(string(b), `"total":2`) {
			t.Errorf("the readings: %d %s", status, b)
		}
		if status, b := api.JSON("GET", path+"?from=2020-03-09&to=2020-03-08", nil); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"to"`) {
			t.Errorf("a range backwards: %d %s", status, b)
		}
		var alerts int
		db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'screenings' AND entity_id = $1`, fmt.Sprint(zhou)).Scan(&alerts)
		if alerts == 0 {
			t.Errorf("a symptom alerted no one")
		}
		var clear int
		db.R.QueryRow(`SELECT COUNT(*) FROM screening_checks WHERE health_sealed LIKE '%乏力%' OR health_sealed LIKE '%干咳%' OR health_sealed = ''`).Scan(&clear)
		if clear != 0 {
			t.Errorf("%d readings are not sealed", clear)
		}
		var other string
		db.R.QueryRow(`SELECT username FROM users WHERE role = 'village' AND region <> (SELECT region FROM users WHERE username = 'village001') ORDER BY id LIMIT 1`).Scan(&other)
		if other == "" {
			t.Fatal("the demo has one village cadre only")
		}
		{
			o := env.APIClient(t, other)
			if status, _ := o.JSON("GET", path, nil); status != http.StatusNotFound {
				t.Errorf("another village's cadre reads the readings: %d, want 404", status)
			}
			if status, _ := o.JSON("POST", path, map[string]any{"day": "2020-03-09", "temperature_tenths": 365}); status != http.StatusNotFound {
				t.Errorf("another village's cadre records a reading: %d, want 404", status)
			}
		}
	})
}
