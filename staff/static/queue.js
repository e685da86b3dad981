// Keeps the queue current without a reload: every few seconds the table body is fetched
// again, rendered (and escaped) by the server. Paused while the tab is hidden; the
// session cookie goes along (same origin), and a lost session sends the page to sign-in.
(function () {
  "use strict";
  var table = document.querySelector("table[data-rows]");
  var body = document.getElementById("queue-rows");
  if (!table || !body) {
    return;
  }
  var source = table.getAttribute("data-rows");
  // Each refresh is a read of the queue and so a row of the access record: not too often.
  var seconds = parseFloat(table.getAttribute("data-refresh-seconds"));
  var REFRESH_MS = Math.max(seconds > 0 ? seconds : 15, 0.2) * 1000;

  function refresh() {
    if (document.hidden) {
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
        if (html !== null && html !== body.innerHTML) {
          body.innerHTML = html;
        }
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      });
  }

  window.setInterval(refresh, REFRESH_MS);
  document.addEventListener("visibilitychange", refresh);
})();
