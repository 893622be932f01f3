// Counts an SMS as the network does while a cadre types job news: UCS-2 (70, or 67 per
// part) as soon as one character is outside the GSM 7-bit alphabet, else GSM-7 (160/153).
// The server counts again (fugong.SplitSMS); this is only a hint.
(function () {
  "use strict";
  var gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var ext = "^{}\\[~]|€\f";
  document.querySelectorAll("textarea[data-sms-counter]").forEach(function (ta) {
    var out = document.getElementById(ta.dataset.smsCounter);
    function count() {
      var chars = Array.from(ta.value), units = 0, ucs2 = false;
      chars.forEach(function (c) { if (gsm.indexOf(c) < 0 && ext.indexOf(c) < 0) ucs2 = true; });
      chars.forEach(function (c) { units += ucs2 ? (c.codePointAt(0) > 0xFFFF ? 2 : 1) : (ext.indexOf(c) >= 0 ? 2 : 1); });
      var single = ucs2 ? 70 : 160, multi = ucs2 ? 67 : 153;
      var parts = units === 0 ? 0 : (units <= single ? 1 : Math.ceil(units / multi));
      out.textContent = (ucs2 ? out.dataset.ucs2 : out.dataset.gsm).replace("%d", units).replace("%d", parts);
    }
    ta.addEventListener("input", count);
    count();
  });
})();
