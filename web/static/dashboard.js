// The command's dashboard: fetches its figures as JSON (data-src) and its late demands as
// HTML (data-late) every data-refresh seconds, fills the tiles and the rolling list
// without reloading the page, and draws the ECharts charts.
// The report pages' print button is here too (no inline script under the CSP).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var root = document.getElementById("dashboard");
  if (!root) return;
  if (root.dataset.wall === "1") document.body.classList.add("wall");
  var charts = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // tile finds or makes the tile of a figure in its panel.
  function tile(panel, f) {
    var sec = root.querySelector('[data-panel="' + panel.key + '"]');
    if (!sec) {
      sec = el("section", "panel");
      sec.dataset.panel = panel.key;
      sec.appendChild(el("h2", "", panel.title));
      sec.appendChild(el("div", "tiles"));
      document.getElementById("dash-panels").appendChild(sec);
    }
    var a = sec.querySelector('[data-fig="' + f.key + '"]');
    if (!a) {
      a = el("a", "tile");
      a.dataset.fig = f.key;
      a.appendChild(el("span", "label", f.label));
      a.appendChild(el("strong"));
      sec.querySelector(".tiles").appendChild(a);
    }
    return a;
  }

  var wall = root.dataset.wall === "1";
  function chart(id) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) return null;
    if (!charts[id]) charts[id] = window.echarts.init(node, wall ? "dark" : null, { renderer: "svg" });
    return charts[id];
  }
  function title(text, big) {
    return { text: text, left: 8, top: 6, textStyle: { fontSize: big + 2 } };
  }

  function draw(d) {
    var t = root.dataset;
    var big = wall ? 16 : 12;
    var text = { fontSize: big };
    var bg = wall ? "transparent" : undefined;
    var trend = chart("chart-trend");
    if (trend) trend.setOption({
      backgroundColor: bg,
      title: title(t.tTrend, big),
      tooltip: { trigger: "axis" },
      legend: { textStyle: text, top: 34 },
      grid: { left: 48, right: 48, bottom: 32, top: 72 },
      xAxis: { type: "category", data: d.trend.map(function (x) { return x.day.slice(5); }), axisLabel: text },
      yAxis: [{ type: "value", axisLabel: text }, { type: "value", max: 100, axisLabel: { fontSize: big, formatter: "{value}%" } }],
      series: [
        { name: t.tResumed, type: "bar", data: d.trend.map(function (x) { return x.resumed; }) },
        { name: t.tRate, type: "line", yAxisIndex: 1, data: d.trend.map(function (x) { return x.rate; }) },
        { name: t.tAttendance, type: "line", yAxisIndex: 1, data: d.trend.map(function (x) { return x.attendance_rate; }) }
      ]
    });
    // Ranked: the lowest rate at the bottom, the highest on top; every label shown.
    var ranked = function (rows) {
      return rows.slice().sort(function (a, b) { return a.rate - b.rate || a.attendance_rate - b.attendance_rate; });
    };
    [["chart-township", ranked(d.by_township), t.tTownship], ["chart-focus", ranked(d.by_focus_area), t.tFocus]].forEach(function (c) {
      var ch = chart(c[0]);
      if (!ch) return;
      var rows = c[1];
      var label = Math.max(10, Math.min(big, Math.floor((ch.getHeight() - 110) / Math.max(rows.length, 1) / 1.5)));
      ch.setOption({
        backgroundColor: bg,
        title: title(c[2], big),
        tooltip: { trigger: "axis" },
        legend: { textStyle: text, top: 34 },
        grid: { left: 8, right: 24, bottom: 24, top: 72, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { fontSize: big, formatter: "{value}%" } },
        yAxis: { type: "category", data: rows.map(function (x) { return x.name || x.key; }), axisLabel: { fontSize: label, interval: 0 }, triggerEvent: true },
        series: [
          { name: t.tRate, type: "bar", data: rows.map(function (x) { return x.rate; }) },
          { name: t.tAttendance, type: "bar", data: rows.map(function (x) { return x.attendance_rate; }) }
        ]
      });
      // Drill-down: a township's bar or name opens its own dashboard.
      if (c[0] === "chart-township" && root.dataset.drill && !ch.__drill) {
        ch.__drill = true;
        var open = function (i) {
          var row = ch.__rows && ch.__rows[i];
          if (row) location.href = root.dataset.drill + encodeURIComponent(row.key);
        };
        // A township's name, or anywhere on its row of bars.
        ch.on("click", function (e) {
          if (e.componentType === "yAxis") open((ch.getOption().yAxis[0].data || []).indexOf(e.value));
        });
        ch.getZr().on("click", function (e) {
          var p = [e.offsetX, e.offsetY];
          if (ch.containPixel("grid", p)) open(Math.round(ch.convertFromPixel({ seriesIndex: 0 }, p)[1]));
        });
      }
      ch.__rows = rows;
    });
  }

  function fill(d) {
    d.panels.forEach(function (p) {
      p.figures.forEach(function (f) {
        var a = tile(p, f);
        a.href = f.href;
        a.querySelector("strong").textContent = f.text;
        a.dataset.value = f.value;
      });
    });
    document.getElementById("dash-date").textContent = d.date;
    // When the figures were computed, in the county's zone and the page's language.
    var at = d.computed_at ? new Date(d.computed_at) : new Date();
    var opts = { hour12: false };
    if (root.dataset.tz) opts.timeZone = root.dataset.tz;
    try {
      document.getElementById("dash-updated").textContent = at.toLocaleTimeString(document.documentElement.lang || undefined, opts);
    } catch (e) {
      document.getElementById("dash-updated").textContent = at.toLocaleTimeString();
    }
    root.dataset.loaded = String((Number(root.dataset.loaded) || 0) + 1);
    draw(d);
  }

  // late fetches the rolling late demands again and swaps them in when they changed, so
  // the roll does not restart for nothing.
  function late() {
    var box = document.getElementById("dash-late");
    if (!box || !root.dataset.late) return;
    fetch(root.dataset.late, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        var fresh = t.content.querySelector("#dash-late");
        if (fresh && fresh.innerHTML !== box.innerHTML) box.replaceWith(fresh);
        root.dataset.lateLoaded = String((Number(root.dataset.lateLoaded) || 0) + 1);
      })
      .catch(function () { root.dataset.failed = "1"; });
  }

  function load() {
    fetch(root.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(fill)
      .catch(function () { root.dataset.failed = "1"; });
  }
  // refresh fetches the figures and the late demands together.
  function refresh() { load(); late(); }
  load();
  var again = document.getElementById("dash-refresh");
  if (again) again.addEventListener("click", refresh);
  setInterval(refresh, (Number(root.dataset.refresh) || 30) * 1000);
  // The wall screen also reloads now and then, to pick up a new day's page.
  if (wall) setTimeout(function () { location.reload(); }, 10 * 60 * 1000);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
})();
