// Keeps the queue current without a reload: every few seconds the table body is fetched
// again, rendered (and escaped) by the server, and swapped in only when it changed, with
// the keyboard focus kept on the same case. Paused while the tab is hidden, and stopped
// when nobody has touched the page for a while, so an unattended screen lets its session
// end (sessions end after 30 idle minutes). A lost session sends the page to sign-in.
(function () {
  "use strict";
  var IDLE_STOP_MS = 25 * 60 * 1000;
  var table = document.querySelector("table[data-rows]");
  var body = document.getElementById("queue-rows");
  if (!table || !body) {
    return;
  }
  var source = table.getAttribute("data-rows");
  // Each refresh is a read of the queue and so a row of the access record: not too often.
  var seconds = parseFloat(table.getAttribute("data-refresh-seconds"));
  var refreshMs = Math.max(seconds > 0 ? seconds : 15, 0.2) * 1000;
  var lastShown = null;
  var lastActivity = Date.now();

  ["keydown", "mousedown", "mousemove", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () {
      lastActivity = Date.now();
    }, { passive: true });
  });

  function focusedCase() {
    var active = document.activeElement;
    return active && body.contains(active) ? active.getAttribute("href") : null;
  }

  function show(html) {
    var href = focusedCase();
    body.innerHTML = html;
    if (href) {
      var again = body.querySelector('a[href="' + href + '"]');
      if (again) {
        again.focus();
      }
    }
  }

  function refresh() {
    if (document.hidden || Date.now() - lastActivity > IDLE_STOP_MS) {
      return;
    }
    fetch(source, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected || response.status === 401) {
          window.location.reload();
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== lastShown) {
          show(html);
          lastShown = html;
        }
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      });
  }

  window.setInterval(refresh, refreshMs);
  document.addEventListener("visibilitychange", refresh);
  refresh();
})();
