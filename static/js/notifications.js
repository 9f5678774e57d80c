// Live unread count in the header: a small ES module. Without JavaScript the count is simply
// correct at page load.
//
// Sections: the badge (state and rendering), the urgent banner for facilitators, and the
// connection (socket, frames, reconnect).

const CLOSE_SIGNED_OUT = 4403;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;
const ANNOUNCE_AFTER_MS = 50;

// --- the badge -------------------------------------------------------------------------------
function createBadge(badge, live) {
  return { badge, live, current: parseInt(badge.textContent, 10) || 0 };
}

function label(state, count) {
  const template = count === 1 ? state.badge.dataset.labelOne : state.badge.dataset.labelMany;
  return (template || "%s unread").replace("%s", String(count));
}

function announce(state, count) {
  // A fresh text node makes screen readers announce it, politely.
  state.live.textContent = "";
  window.setTimeout(() => { state.live.textContent = label(state, count); }, ANNOUNCE_AFTER_MS);
}

function showCount(state, count) {
  state.badge.textContent = String(count);
  state.badge.setAttribute("aria-label", label(state, count));
  state.badge.hidden = count === 0;
  if (state.live && count > state.current) announce(state, count);
  state.current = count;
}

// --- the urgent banner -----------------------------------------------------------------------
// Shown on every page to a group's facilitators while an urgent case waits unclaimed; the tab
// title is prefixed too. The server renders it right at page load; frames keep it current.
function showUrgent(banner, count, url) {
  const prefix = banner.dataset.titlePrefix || "";
  const title = prefix && document.title.startsWith(prefix)
    ? document.title.slice(prefix.length) : document.title;
  document.title = count > 0 ? prefix + title : title;
  const text = banner.querySelector("[data-urgent-text]");
  const link = banner.querySelector("[data-urgent-link]");
  if (text && count > 0) {
    const template = count === 1 ? banner.dataset.labelOne : banner.dataset.labelMany;
    text.textContent = (template || "").replace("%s", String(count));
  }
  if (link && typeof url === "string" && url.startsWith("/") && !url.startsWith("//")) {
    link.setAttribute("href", url);
  }
  banner.hidden = count === 0;
}

// --- the connection --------------------------------------------------------------------------
function onFrame(state, data) {
  if (!data) return;
  if (data.type === "unread" && typeof data.count === "number") showCount(state, data.count);
  if (data.type === "urgent" && typeof data.count === "number" && state.urgent) {
    showUrgent(state.urgent, data.count, data.url);
  }
}

function connect(state, retry) {
  const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  const socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
  socket.addEventListener("open", () => { retry.delay = FIRST_RETRY_MS; });
  socket.addEventListener("message", (event) => {
    let data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    onFrame(state, data);
  });
  socket.addEventListener("close", (event) => {
    if (event.code === CLOSE_SIGNED_OUT) return; // signed out: nothing to listen for
    window.setTimeout(() => connect(state, retry), retry.delay);
    retry.delay = Math.min(retry.delay * 2, MAX_RETRY_MS);
  });
}

export function start(badge, live, urgent) {
  const state = createBadge(badge, live);
  state.urgent = urgent || null;
  connect(state, { delay: FIRST_RETRY_MS });
  return state;
}

const badge = document.querySelector("[data-unread-badge]");
if (badge && "WebSocket" in window) {
  start(badge, document.querySelector("[data-unread-live]"), document.querySelector("[data-urgent-banner]"));
}
