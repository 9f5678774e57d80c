// Live group chat: one small ES module, no framework. The page works without it (a form and a
// refresh link); this adds live delivery, catch-up after a dropped connection and de-duplication.
//
// Sections: the room (state and page elements), rendering, the queue (messages typed here and
// not yet echoed), the connection (socket, frames, reconnect, sync, catch-up) and the composer
// (form, keyboard, "load earlier", "show my name").

const CLOSE_FORBIDDEN = 4403;
const CLOSE_PAUSED = 4503; // the server has no live updates (Redis down); the form still posts
const SYNC_EVERY_MS = 20000;
const SYNC_JITTER_MS = 10000;
const MAX_BACKOFF_MS = 30000;
const CATCH_UP_PAGES = 50;

// --- the room --------------------------------------------------------------------------------
function byId(id) {
  return document.getElementById(id);
}

function createRoom(root) {
  const form = byId("chat-form");
  const log = byId("chat-log");
  const room = {
    root,
    log,
    scroller: byId("chat-log-region"),
    form,
    textarea: form ? form.querySelector("textarea") : null,
    errorBox: byId("chat-error"),
    connection: byId("chat-connection"),
    presence: byId("chat-presence"),
    roomState: byId("chat-room-state"),
    template: byId("chat-message-template"),
    showNameWrap: byId("chat-show-name-wrap"),
    showName: byId("chat-show-name"),
    earlier: byId("chat-earlier"),
    refresh: byId("chat-refresh-wrap"),
    t: JSON.parse(byId("chat-strings").textContent),
    userId: Number(root.dataset.userId),
    reduceMotion: window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    seen: new Set(),
    pending: new Map(), // client_id -> {li, body}; a refused one stays, marked "Not sent"
    lastId: Number(root.dataset.lastId) || 0, // every id up to here is on the page
    ws: null,
    attempt: 0,
    stopped: false,
    ready: false,
    paused: false, // the server said live updates are paused
    reconnectTimer: null,
    syncTimer: null,
    autoScrolling: false, // a smooth scroll we started is still under way
  };
  log.querySelectorAll("li[data-id]").forEach((li) => {
    if (li.dataset.id) room.seen.add(Number(li.dataset.id));
  });
  return room;
}

function fmt(text, n) {
  return text.replace("{n}", String(n));
}

function setStatus(room, text) {
  room.connection.textContent = text;
}

function showError(room, text) {
  if (!room.errorBox) return;
  room.errorBox.textContent = text || "";
  room.errorBox.hidden = !text;
}

function socketOpen(room) {
  return Boolean(room.ws && room.ws.readyState === WebSocket.OPEN);
}

function sendFrame(room, frame) {
  room.ws.send(JSON.stringify(frame));
}

// --- rendering -------------------------------------------------------------------------------
const TIME_FORMAT = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

function localTime(iso) {
  return new Date(iso).toLocaleTimeString([], TIME_FORMAT);
}

function localiseTimes(room) {
  // Times from the server are in the site's zone; show them in the reader's own.
  room.log.querySelectorAll("time[datetime]").forEach((el) => {
    if (el.dateTime) el.textContent = localTime(el.dateTime);
  });
}

function nearBottom(room) {
  const s = room.scroller;
  return room.autoScrolling || s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function scrollDown(room) {
  room.autoScrolling = !room.reduceMotion;
  room.scroller.scrollTo({
    top: room.scroller.scrollHeight,
    behavior: room.reduceMotion ? "auto" : "smooth",
  });
}

function cloneMessage(room) {
  return room.template.content.firstElementChild.cloneNode(true);
}

function removeControls(li) {
  const details = li.querySelector(".chat-moderate");
  if (details) details.remove();
  const report = li.querySelector(".chat-report");
  if (report) report.remove();
}

function fillReportLink(room, li, m) {
  const report = li.querySelector(".chat-report");
  if (!report) return;
  // Everyone may report someone else's message; the page's own links work without this.
  const base = room.log.dataset.reportBase;
  if (m.author_id === room.userId || !m.pk || !base) {
    report.remove();
    return;
  }
  report.querySelector("a").setAttribute("href", base.replace(/\/0\/$/, "/" + m.pk + "/"));
  report.hidden = false;
}

function fillModeratorControls(room, li, m) {
  const details = li.querySelector(".chat-moderate");
  if (!details) return;
  const del = details.querySelector(".chat-delete-form");
  // getAttribute: a form cloned from a <template> has no base URL for the .action property.
  if (del) {
    del.setAttribute(
      "action",
      del.getAttribute("action").replace(/\/0\/delete\/$/, "/" + m.id + "/delete/"),
    );
  }
  const mute = details.querySelector(".chat-mute-form");
  if (!mute) return;
  if (m.author_id === room.userId) {
    mute.remove();
    return;
  }
  mute.querySelector("input[name=user_id]").value = String(m.author_id);
  mute.querySelector("select").id = "mute-" + m.id;
  mute.querySelector("label").htmlFor = "mute-" + m.id;
}

function markDeleted(room, li, text) {
  li.classList.add("is-deleted");
  li.querySelector(".chat-author").textContent = "";
  const body = li.querySelector(".chat-body");
  body.textContent = "";
  const em = document.createElement("em");
  em.textContent = text || room.t.removed;
  body.appendChild(em);
  removeControls(li);
}

function setAvatar(li, m) {
  const avatar = li.querySelector(".avatar");
  if (!avatar || !m.avatar) return; // removed messages keep the neutral avatar
  avatar.className = avatar.className.replace(/\bavatar-(neutral|c\d+)\b/g, "").trim();
  avatar.classList.add("avatar-c" + Number(m.avatar.colour));
  avatar.textContent = m.avatar.initials;
}

// --- days and runs: a separator above each day's first message; consecutive messages by one
// author within a few minutes show the name and avatar once (the server does the same).
const RUN_GAP_MS = 5 * 60 * 1000;
const DAY_FORMAT = { weekday: "long", day: "numeric", month: "long", year: "numeric" };

function dayKey(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
}

function dayLabel(room, date) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (dayKey(date) === dayKey(today)) return room.t.today;
  if (dayKey(date) === dayKey(yesterday)) return room.t.yesterday;
  return date.toLocaleDateString([], DAY_FORMAT);
}

function previousMessage(li) {
  let node = li.previousElementSibling;
  while (node && !node.classList.contains("chat-message")) node = node.previousElementSibling;
  return node;
}

function messageDate(li) {
  const time = li.querySelector("time[datetime]");
  return time && time.dateTime ? new Date(time.dateTime) : null;
}

function placeInDay(room, li) {
  const when = messageDate(li);
  if (!when) return;
  const before = previousMessage(li);
  const beforeWhen = before ? messageDate(before) : null;
  const sameDay = beforeWhen && dayKey(beforeWhen) === dayKey(when);
  if (!sameDay) {
    const key = dayKey(when);
    const prev = li.previousElementSibling;
    if (!(prev && prev.classList.contains("chat-day") && prev.dataset.day === key)) {
      const sep = document.createElement("li");
      sep.className = "chat-day";
      sep.dataset.day = key;
      const label = document.createElement("span");
      label.className = "chat-day-label";
      label.textContent = dayLabel(room, when);
      sep.appendChild(label);
      li.parentNode.insertBefore(sep, li);
    }
  }
  const continued = Boolean(
    sameDay &&
      !li.classList.contains("is-deleted") &&
      !before.classList.contains("is-deleted") &&
      li.dataset.author &&
      before.dataset.author === li.dataset.author &&
      when - beforeWhen <= RUN_GAP_MS,
  );
  li.classList.toggle("is-continued", continued);
}

function tidyDays(room) {
  // After loading earlier messages at the top: draw the separators and runs again in order.
  room.log.querySelectorAll("li.chat-day").forEach((sep) => sep.remove());
  room.log.querySelectorAll("li.chat-message").forEach((li) => placeInDay(room, li));
}

function renderMessage(room, m) {
  const li = cloneMessage(room);
  li.dataset.id = String(m.id);
  li.id = "msg-" + m.id;
  if (m.author_id) li.dataset.author = String(m.author_id);
  setAvatar(li, m);
  li.querySelector(".chat-author").textContent = m.author;
  const time = li.querySelector("time");
  time.dateTime = m.created_at;
  time.textContent = localTime(m.created_at);
  if (m.deleted) {
    markDeleted(room, li, m.html);
    return li;
  }
  // The server escaped the text and made only http(s) links; no other HTML exists.
  li.querySelector(".chat-body").innerHTML = m.html;
  fillReportLink(room, li, m);
  fillModeratorControls(room, li, m);
  return li;
}

function insertInOrder(room, li, id) {
  // Keep the list in id order even if frames arrive out of order.
  let before = null;
  for (let node = room.log.lastElementChild; node; node = node.previousElementSibling) {
    if (!node.dataset.id || Number(node.dataset.id) < id) break;
    before = node;
  }
  const pendingFirst = room.log.querySelector("li.is-sending");
  room.log.insertBefore(li, before || pendingFirst);
}

function applyMessage(room, m, prepend) {
  const empty = byId("chat-empty");
  if (empty) empty.remove();
  settleQueued(room, m.client_id);
  if (room.seen.has(m.id)) return;
  room.seen.add(m.id);
  const stick = nearBottom(room);
  const li = renderMessage(room, m);
  if (prepend) room.log.insertBefore(li, room.log.firstElementChild);
  else {
    insertInOrder(room, li, m.id);
    placeInDay(room, li);
  }
  while (room.seen.has(room.lastId + 1)) room.lastId += 1;
  if (stick && !prepend) scrollDown(room);
}

function redrawMessage(room, m) {
  // A facilitator restored, redacted or approved a message: draw it again in place.
  const old = byId("msg-" + m.id);
  if (old) old.replaceWith(renderMessage(room, m));
  else applyMessage(room, m);
}

function showRemoved(room, id, text) {
  const li = byId("msg-" + id);
  if (li) markDeleted(room, li, text);
}

function showRoomState(room, frame) {
  const names = frame.names && frame.names.length ? " (" + frame.names.join(", ") + ")" : "";
  room.presence.textContent =
    fmt(frame.count === 1 ? room.t.hereOne : room.t.hereMany, frame.count) + names;
  const parts = [];
  if (frame.facilitator_only) parts.push(frame.open ? room.t.openNow : room.t.closed);
  if (frame.slow_mode_seconds) parts.push(fmt(room.t.slowMode, frame.slow_mode_seconds));
  room.roomState.textContent = parts.join(" ");
}

function showPending(room, clientId, body) {
  const li = cloneMessage(room);
  li.classList.add("is-sending");
  li.dataset.clientId = clientId;
  li.removeAttribute("data-id");
  li.querySelector(".chat-author").textContent = room.t.you;
  li.querySelector(".chat-body").textContent = body;
  li.querySelector(".chat-state").textContent = room.t.sending;
  removeControls(li);
  room.log.appendChild(li);
  scrollDown(room);
  return li;
}

// --- the queue: typed here, "Sending…" until the server's echo -------------------------------
function newClientId() {
  const raw = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
  return raw.replace(/[^A-Za-z0-9]/g, "");
}

function sendQueued(room, clientId, body, resend) {
  if (socketOpen(room) && room.ready) {
    const frame = { type: "message", client_id: clientId, body };
    // A resend was typed at the time; the server counts it apart from flood control.
    if (resend) frame.resend = true;
    sendFrame(room, frame);
  }
}

function resendQueued(room) {
  // Anything typed while offline goes now; the server ignores a repeat of a saved one. Lines
  // marked "Not sent" wait for the person to choose "Try again".
  room.pending.forEach((p, clientId) => {
    if (!p.failed) sendQueued(room, clientId, p.body, true);
  });
}

function settleQueued(room, clientId) {
  // The echo of something sent from here: the saved message takes the "Sending…" line's place.
  if (!clientId || !room.pending.has(clientId)) return;
  room.pending.get(clientId).li.remove();
  room.pending.delete(clientId);
}

function retryButton(room, clientId) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "chat-retry link-button";
  button.textContent = room.t.retry;
  button.addEventListener("click", () => retryQueued(room, clientId));
  return button;
}

function refuseQueued(room, clientId) {
  // Not accepted: the line stays, with its text, marked "Not sent — try again"; nothing typed
  // ever disappears from the page.
  if (!clientId || !room.pending.has(clientId)) return false;
  const p = room.pending.get(clientId);
  p.failed = true;
  p.li.classList.add("is-failed");
  const state = p.li.querySelector(".chat-state");
  state.textContent = room.t.notSent + " ";
  state.appendChild(retryButton(room, clientId));
  return true;
}

function retryQueued(room, clientId) {
  const p = room.pending.get(clientId);
  if (!p) return;
  p.failed = false;
  p.li.classList.remove("is-failed");
  p.li.querySelector(".chat-state").textContent = room.t.sending;
  showError(room, "");
  sendQueued(room, clientId, p.body, false);
  if (!socketOpen(room)) showError(room, room.t.paused);
}

function queueMessage(room) {
  const textarea = room.textarea;
  const body = textarea.value.trim();
  if (!body) {
    showError(room, room.t.empty);
    textarea.focus();
    return;
  }
  showError(room, "");
  const clientId = newClientId();
  room.pending.set(clientId, { li: showPending(room, clientId, body), body, failed: false });
  textarea.value = "";
  textarea.focus();
  sendQueued(room, clientId, body);
}

// --- the connection --------------------------------------------------------------------------
async function fetchMessages(room, query) {
  const res = await fetch(room.root.dataset.messagesUrl + query, { credentials: "same-origin" });
  return res.ok ? res.json() : null;
}

async function catchUp(room, after) {
  // Beyond the replay bound: page forward over HTTP until nothing is missing.
  let cursor = after;
  for (let page = 0; page < CATCH_UP_PAGES; page += 1) {
    const data = await fetchMessages(room, "?after=" + cursor);
    if (!data) return;
    data.messages.forEach((m) => applyMessage(room, m));
    if (!data.more || !data.messages.length) return;
    cursor = data.messages[data.messages.length - 1].id;
  }
}

function sync(room) {
  // Ask for anything this socket has not been sent: a broadcast can be dropped while a room is
  // quiet.
  if (room.ready && socketOpen(room)) sendFrame(room, { type: "sync" });
}

function startSync(room) {
  if (room.syncTimer) clearInterval(room.syncTimer);
  room.syncTimer = setInterval(() => sync(room), SYNC_EVERY_MS + Math.random() * SYNC_JITTER_MS);
}

function showRefresh(room, show) {
  // "Refresh messages" is for when live delivery is down; the page shows it without JS.
  if (room.refresh) room.refresh.hidden = !show;
}

function onReady(room) {
  room.ready = true;
  room.paused = false;
  startSync(room);
  room.attempt = 0;
  setStatus(room, room.t.live);
  showRefresh(room, false);
  resendQueued(room);
  if (room.showName && room.showName.checked) sendFrame(room, { type: "show_name", value: true });
}

function onRemoved(room, message) {
  room.stopped = true;
  showError(room, message);
  setStatus(room, message);
  if (room.form) {
    room.form.querySelectorAll("textarea, button").forEach((el) => {
      el.disabled = true;
    });
  }
}

function onFrame(room, frame) {
  switch (frame.type) {
    case "message": applyMessage(room, frame.message); break;
    case "update": redrawMessage(room, frame.message); break;
    case "deleted": showRemoved(room, frame.id, frame.text); break;
    case "ready": onReady(room); break;
    case "replay_truncated": catchUp(room, frame.after); break;
    case "room": showRoomState(room, frame); break;
    case "access": showError(room, frame.can_post ? "" : frame.message); break;
    case "removed": onRemoved(room, frame.message); break;
    case "paused":
      room.paused = true;
      showRefresh(room, true);
      setStatus(room, frame.message);
      break;
    case "error":
      refuseQueued(room, frame.client_id);
      showError(room, frame.message);
      break;
    default: break;
  }
}

function scheduleReconnect(room) {
  // Exponential backoff with full jitter, capped at 30 seconds.
  const delay = Math.random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** room.attempt);
  room.attempt = Math.min(room.attempt + 1, 10);
  // While the server has no live updates, keep saying so: the form posts meanwhile.
  if (!room.paused) setStatus(room, room.t.reconnecting);
  room.reconnectTimer = setTimeout(() => {
    room.reconnectTimer = null;
    connect(room);
  }, delay);
}

function connect(room) {
  if (room.stopped) return;
  room.ready = false;
  if (!room.paused) setStatus(room, room.attempt ? room.t.reconnecting : room.t.connecting);
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const url = scheme + location.host + room.root.dataset.socketPath + "?last_id=" + room.lastId;
  room.ws = new WebSocket(url);
  room.ws.onmessage = (event) => {
    let frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    onFrame(room, frame);
  };
  room.ws.onclose = (event) => {
    room.ready = false;
    showRefresh(room, true);
    if (event.code === CLOSE_FORBIDDEN) {
      room.stopped = true;
      setStatus(room, room.t.refused);
      return;
    }
    if (event.code === CLOSE_PAUSED) room.paused = true;
    if (!room.stopped) scheduleReconnect(room);
  };
}

function watchNetwork(room) {
  // The browser knows before the socket does: drop a dead connection at once, and on the way
  // back try now rather than waiting out the backoff.
  window.addEventListener("offline", () => { if (room.ws) room.ws.close(); });
  window.addEventListener("online", () => {
    room.attempt = 0;
    if (room.reconnectTimer) {
      clearTimeout(room.reconnectTimer);
      room.reconnectTimer = null;
      connect(room);
    } else if (room.ws && room.ws.readyState !== WebSocket.OPEN) {
      room.ws.close();
    }
  });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) sync(room); });
}

// --- the composer ----------------------------------------------------------------------------
function bindComposer(room) {
  const { form, textarea } = room;
  if (!form || !textarea) return;
  form.addEventListener("submit", (event) => {
    if (!socketOpen(room)) {
      // Offline: keep it here and send it on reconnecting; otherwise the form posts normally.
      if (!navigator.onLine) {
        event.preventDefault();
        queueMessage(room);
      }
      return;
    }
    event.preventDefault();
    queueMessage(room);
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

function bindEarlier(room) {
  const earlier = room.earlier;
  if (!earlier) return;
  earlier.addEventListener("click", async (event) => {
    event.preventDefault();
    const data = await fetchMessages(room, "?before=" + earlier.dataset.before);
    if (!data) {
      window.location.href = earlier.href;
      return;
    }
    data.messages.slice().reverse().forEach((m) => applyMessage(room, m, true));
    tidyDays(room);
    if (data.messages.length) {
      earlier.dataset.before = String(data.messages[0].id);
      earlier.href = earlier.href.replace(/before=\d+/, "before=" + data.messages[0].id);
    }
    if (!data.more) earlier.parentElement.remove();
  });
}

function bindShowName(room) {
  if (!room.showNameWrap || !room.showName) return;
  room.showNameWrap.hidden = false;
  room.showName.addEventListener("change", () => {
    if (socketOpen(room)) sendFrame(room, { type: "show_name", value: room.showName.checked });
  });
}

// --- start -----------------------------------------------------------------------------------
export function start(root) {
  const room = createRoom(root);
  room.scroller.addEventListener("scrollend", () => { room.autoScrolling = false; });
  localiseTimes(room);
  bindComposer(room);
  bindEarlier(room);
  bindShowName(room);
  watchNetwork(room);
  room.scroller.scrollTop = room.scroller.scrollHeight;
  connect(room);
  return room;
}

const root = byId("chat");
if (root && !root.dataset.history) start(root);
