// Live unread count in the header. Without JavaScript the count is simply correct at page load.
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread-badge]");
  var live = document.querySelector("[data-unread-live]");
  if (!badge || !("WebSocket" in window)) { return; }
  var current = parseInt(badge.textContent, 10) || 0;
  var delay = 1000;

  function label(count) {
    var template = count === 1 ? badge.dataset.labelOne : badge.dataset.labelMany;
    return (template || "%s unread").replace("%s", String(count));
  }

  function show(count) {
    badge.textContent = String(count);
    badge.setAttribute("aria-label", label(count));
    badge.hidden = count === 0;
    if (live && count > current) {
      live.textContent = "";
      // A fresh text node makes screen readers announce it, politely.
      window.setTimeout(function () { live.textContent = label(count); }, 50);
    }
    current = count;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.addEventListener("open", function () { delay = 1000; });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data && data.type === "unread" && typeof data.count === "number") { show(data.count); }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403) { return; }  // signed out: nothing to listen for
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
