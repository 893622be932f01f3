// The liaison's visit form on a phone: the browser's position, and a form sent with no
// signal kept in localStorage and sent when the network returns. Every form carries its
// own UUID, so a resend finds the first visit instead of making a second.
(function () {
  "use strict";
  var KEY = "fugong.visits.pending";
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(q) { localStorage.setItem(KEY, JSON.stringify(q)); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = "";
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  var form = document.querySelector("form[data-offline-visit]");
  var status = document.getElementById("visit-status");
  function say(text) { if (status) status.textContent = text; }
  function badge() {
    var el = document.querySelector("[data-visit-queue]");
    if (!el) return;
    var n = load().length;
    el.textContent = n ? el.dataset.template.replace("%d", n) : "";
    el.hidden = n === 0;
  }

  var flushing = false;
  // flush sends the oldest kept form; any answer but a server fault or an expired login
  // means the server has decided on it, so it leaves the queue.
  function flush() {
    var q = load();
    if (flushing || q.length === 0) return;
    flushing = true;
    var item = q[0];
    var csrf = (document.body && document.body.dataset.csrf) || item.csrf;
    fetch(item.action, {
      method: "POST", credentials: "same-origin", body: item.body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf, "X-Visit-Queue": "1" }
    }).then(function (res) {
      flushing = false;
      if (res.status >= 500 || res.status === 401 || res.status === 403 || (res.redirected && /\/login/.test(res.url))) {
        if (form) say(form.dataset.relogin);
        return;
      }
      store(load().filter(function (x) { return x.uuid !== item.uuid; }));
      badge();
      if (form && form.elements.client_uuid.value === item.uuid) {
        if (res.redirected) { window.location.href = res.url; return; }
        return res.text().then(function (html) { document.open(); document.write(html); document.close(); });
      }
      flush();
    }, function () {
      flushing = false;
      if (form) say(form.dataset.savedOffline);
      badge();
    });
  }

  if (form) {
    form.elements.client_uuid.value = uuid();
    // The check-in time is the server's; the check-out time is that plus the time the
    // phone measured since, so that a phone whose clock is wrong still logs the right times.
    var checkedIn = Date.parse(form.elements.checked_in_at.value), opened = Date.now();
    var loc = document.getElementById("visit-location");
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(function (p) {
        form.elements.located.value = "1";
        form.elements.latitude.value = p.coords.latitude.toFixed(6);
        form.elements.longitude.value = p.coords.longitude.toFixed(6);
        form.elements.accuracy.value = Math.round(p.coords.accuracy);
        if (loc) loc.textContent = form.dataset.locOk.replace("%d", Math.round(p.coords.accuracy));
      }, function () {
        if (loc) loc.textContent = form.dataset.locNone;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    } else if (loc) {
      loc.textContent = form.dataset.locNone;
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var out = isNaN(checkedIn) ? Date.now() : checkedIn + (Date.now() - opened);
      form.elements.checked_out_at.value = new Date(out).toISOString().replace(/\.\d+Z$/, "Z");
      var id = form.elements.client_uuid.value;
      var body = new URLSearchParams(new FormData(form)).toString();
      var q = load().filter(function (x) { return x.uuid !== id; });
      q.push({ uuid: id, action: form.action, csrf: form.elements.csrf.value, body: body });
      store(q);
      say(form.dataset.sending);
      flush();
    });
  }
  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  badge();
  flush();
})();
