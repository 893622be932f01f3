// The command's dashboard: fetches its figures as JSON (data-src) every data-refresh
// seconds, fills the tiles without reloading the page, and draws the ECharts charts.
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

  function chart(id) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) return null;
    if (!charts[id]) charts[id] = window.echarts.init(node, null, { renderer: "svg" });
    return charts[id];
  }

  function draw(d) {
    var t = root.dataset;
    var big = document.body.classList.contains("wall") ? 20 : 12;
    var text = { fontSize: big };
    var trend = chart("chart-trend");
    if (trend) trend.setOption({
      tooltip: { trigger: "axis" },
      legend: { textStyle: text },
      grid: { left: 48, right: 48, bottom: 32, top: 40 },
      xAxis: { type: "category", data: d.trend.map(function (x) { return x.day.slice(5); }), axisLabel: text },
      yAxis: [{ type: "value", axisLabel: text }, { type: "value", max: 100, axisLabel: { fontSize: big, formatter: "{value}%" } }],
      series: [
        { name: t.tResumed, type: "bar", data: d.trend.map(function (x) { return x.resumed; }) },
        { name: t.tRate, type: "line", yAxisIndex: 1, data: d.trend.map(function (x) { return x.rate; }) },
        { name: t.tAttendance, type: "line", yAxisIndex: 1, data: d.trend.map(function (x) { return x.attendance_rate; }) }
      ]
    });
    [["chart-township", d.by_township], ["chart-focus", d.by_focus_area]].forEach(function (c) {
      var ch = chart(c[0]);
      if (!ch) return;
      ch.setOption({
        tooltip: { trigger: "axis" },
        legend: { textStyle: text },
        grid: { left: 8, right: 24, bottom: 24, top: 40, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { fontSize: big, formatter: "{value}%" } },
        yAxis: { type: "category", data: c[1].map(function (x) { return x.name || x.key; }), axisLabel: text },
        series: [
          { name: t.tRate, type: "bar", data: c[1].map(function (x) { return x.rate; }) },
          { name: t.tAttendance, type: "bar", data: c[1].map(function (x) { return x.attendance_rate; }) }
        ]
      });
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
    document.getElementById("dash-updated").textContent = (d.computed_at ? new Date(d.computed_at) : new Date()).toLocaleTimeString();
    root.dataset.loaded = String((Number(root.dataset.loaded) || 0) + 1);
    draw(d);
  }

  function load() {
    fetch(root.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(fill)
      .catch(function () { root.dataset.failed = "1"; });
  }
  load();
  var again = document.getElementById("dash-refresh");
  if (again) again.addEventListener("click", load);
  setInterval(load, (Number(root.dataset.refresh) || 30) * 1000);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
})();
