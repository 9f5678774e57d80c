// Live group chat: one small module, no framework. The page works without it (a form and a
// refresh link); this adds live delivery, catch-up after a dropped connection and de-duplication.
const root = document.getElementById("chat");
if (root && !root.dataset.history) start(root);

function start(root) {
  const log = document.getElementById("chat-log");
  const scroller = document.getElementById("chat-log-region");
  const form = document.getElementById("chat-form");
  const textarea = form ? form.querySelector("textarea") : null;
  const errorBox = document.getElementById("chat-error");
  const connection = document.getElementById("chat-connection");
  const presence = document.getElementById("chat-presence");
  const roomState = document.getElementById("chat-room-state");
  const template = document.getElementById("chat-message-template");
  const showNameWrap = document.getElementById("chat-show-name-wrap");
  const showName = document.getElementById("chat-show-name");
  const t = JSON.parse(document.getElementById("chat-strings").textContent);
  const userId = Number(root.dataset.userId);
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const seen = new Set();
  const pending = new Map(); // client_id -> {li, body}
  let lastId = Number(root.dataset.lastId) || 0; // every id up to here is on the page
  let ws = null;
  let attempt = 0;
  let stopped = false;
  let ready = false;
  let timer = null;

  log.querySelectorAll("li[data-id]").forEach((li) => { if (li.dataset.id) seen.add(Number(li.dataset.id)); });

  const fmt = (s, n) => s.replace("{n}", String(n));
  const setStatus = (text) => { connection.textContent = text; };
  const showError = (text) => {
    if (!errorBox) return;
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  };
  const newClientId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9]/g, "");

  let autoScrolling = false; // a smooth scroll we started is still under way
  scroller.addEventListener("scrollend", () => { autoScrolling = false; });
  function nearBottom() { return autoScrolling || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80; }
  function scrollDown() {
    autoScrolling = !reduceMotion;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: reduceMotion ? "auto" : "smooth" });
  }
  const timeFormat = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  const localTime = (iso) => new Date(iso).toLocaleTimeString([], timeFormat);
  // Times from the server are in the site's zone; show them in the reader's own.
  log.querySelectorAll("time[datetime]").forEach((el) => { if (el.dateTime) el.textContent = localTime(el.dateTime); });

  function render(m) {
    const li = template.content.firstElementChild.cloneNode(true);
    li.dataset.id = String(m.id);
    li.id = "msg-" + m.id;
    li.querySelector(".chat-author").textContent = m.author;
    const time = li.querySelector("time");
    time.dateTime = m.created_at;
    time.textContent = localTime(m.created_at);
    const details = li.querySelector(".chat-moderate");
    if (m.deleted) {
      markDeleted(li, m.html);
    } else {
      // The server escaped the text and made only http(s) links; no other HTML exists.
      li.querySelector(".chat-body").innerHTML = m.html;
      const report = li.querySelector(".chat-report");
      if (report) {
        // Everyone may report someone else's message; the page's own links work without this.
        if (m.author_id === userId || !m.pk || !log.dataset.reportBase) report.remove();
        else {
          report.querySelector("a").setAttribute("href", log.dataset.reportBase.replace(/\/0\/$/, "/" + m.pk + "/"));
          report.hidden = false;
        }
      }
      if (details) {
        const del = details.querySelector(".chat-delete-form");
        // getAttribute: a form cloned from a <template> has no base URL for the .action property.
        if (del) del.setAttribute("action", del.getAttribute("action").replace(/\/0\/delete\/$/, "/" + m.id + "/delete/"));
        const mute = details.querySelector(".chat-mute-form");
        if (mute && m.author_id === userId) mute.remove();
        else if (mute) {
          mute.querySelector("input[name=user_id]").value = String(m.author_id);
          mute.querySelector("select").id = "mute-" + m.id;
          mute.querySelector("label").htmlFor = "mute-" + m.id;
        }
      }
    }
    return li;
  }

  function markDeleted(li, text) {
    li.classList.add("is-deleted");
    li.querySelector(".chat-author").textContent = "";
    const body = li.querySelector(".chat-body");
    body.textContent = "";
    const em = document.createElement("em");
    em.textContent = text || t.removed;
    body.appendChild(em);
    const details = li.querySelector(".chat-moderate");
    if (details) details.remove();
    const report = li.querySelector(".chat-report");
    if (report) report.remove();
  }

  function insert(li, id) {
    // Keep the list in id order even if frames arrive out of order.
    let before = null;
    for (let node = log.lastElementChild; node; node = node.previousElementSibling) {
      const nid = Number(node.dataset.id);
      if (!node.dataset.id || nid < id) break;
      before = node;
    }
    const pendingFirst = log.querySelector("li.is-sending");
    log.insertBefore(li, before || pendingFirst);
  }

  function apply(m, prepend) {
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    if (m.client_id && pending.has(m.client_id)) {
      pending.get(m.client_id).li.remove();
      pending.delete(m.client_id);
    }
    if (seen.has(m.id)) return;
    seen.add(m.id);
    const stick = nearBottom();
    const li = render(m);
    if (prepend) log.insertBefore(li, log.firstElementChild); else insert(li, m.id);
    while (seen.has(lastId + 1)) lastId += 1;
    if (stick && !prepend) scrollDown();
  }

  function showPending(clientId, body) {
    const li = template.content.firstElementChild.cloneNode(true);
    li.classList.add("is-sending");
    li.dataset.clientId = clientId;
    li.removeAttribute("data-id");
    li.querySelector(".chat-author").textContent = t.you;
    li.querySelector(".chat-body").textContent = body;
    li.querySelector(".chat-state").textContent = t.sending;
    const details = li.querySelector(".chat-moderate");
    if (details) details.remove();
    const report = li.querySelector(".chat-report");
    if (report) report.remove();
    log.appendChild(li);
    scrollDown();
    return li;
  }

  function send(clientId, body) {
    if (ws && ws.readyState === WebSocket.OPEN && ready) {
      ws.send(JSON.stringify({ type: "message", client_id: clientId, body: body }));
    }
  }

  async function catchUp(after) {
    // Beyond the replay bound: page forward over HTTP until nothing is missing.
    let cursor = after;
    for (let page = 0; page < 50; page += 1) {
      const res = await fetch(root.dataset.messagesUrl + "?after=" + cursor, { credentials: "same-origin" });
      if (!res.ok) return;
      const data = await res.json();
      data.messages.forEach((m) => apply(m));
      if (!data.more || !data.messages.length) return;
      cursor = data.messages[data.messages.length - 1].id;
    }
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "message": apply(frame.message); break;
      case "update": {
        // A facilitator restored, redacted or approved a message: draw it again in place.
        const old = document.getElementById("msg-" + frame.message.id);
        if (old) old.replaceWith(render(frame.message));
        else apply(frame.message);
        break;
      }
      case "deleted": {
        const li = document.getElementById("msg-" + frame.id);
        if (li) markDeleted(li, frame.text);
        break;
      }
      case "ready":
        ready = true;
        startSync();
        attempt = 0;
        setStatus(t.live);
        // Anything typed while offline goes now; the server ignores a repeat of a saved one.
        pending.forEach((p, clientId) => send(clientId, p.body));
        if (showName && showName.checked) ws.send(JSON.stringify({ type: "show_name", value: true }));
        break;
      case "replay_truncated": catchUp(frame.after); break;
      case "room": {
        presence.textContent = fmt(frame.count === 1 ? t.hereOne : t.hereMany, frame.count) +
          (frame.names && frame.names.length ? " (" + frame.names.join(", ") + ")" : "");
        const parts = [];
        if (frame.facilitator_only) parts.push(frame.open ? t.openNow : t.closed);
        if (frame.slow_mode_seconds) parts.push(fmt(t.slowMode, frame.slow_mode_seconds));
        roomState.textContent = parts.join(" ");
        break;
      }
      case "access": showError(frame.can_post ? "" : frame.message); break;
      case "removed":
        stopped = true;
        showError(frame.message);
        setStatus(frame.message);
        if (form) form.querySelectorAll("textarea, button").forEach((el) => { el.disabled = true; });
        break;
      case "error": {
        if (frame.client_id && pending.has(frame.client_id)) {
          const p = pending.get(frame.client_id);
          p.li.remove();
          pending.delete(frame.client_id);
          if (textarea && !textarea.value) textarea.value = p.body;
        }
        showError(frame.message);
        break;
      }
      default: break;
    }
  }

  // Every so often (and when the tab comes back into view) ask the server for anything this
  // socket has not been sent: a broadcast can be dropped while a room is quiet.
  let syncTimer = null;
  function sync() { if (ws && ready && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "sync" })); }
  function startSync() {
    if (syncTimer) clearInterval(syncTimer);
    syncTimer = setInterval(sync, 20000 + Math.random() * 10000);
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden) sync(); });

  function connect() {
    if (stopped) return;
    ready = false;
    setStatus(attempt ? t.reconnecting : t.connecting);
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + root.dataset.socketPath + "?last_id=" + lastId);
    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onFrame(frame);
    };
    ws.onclose = (event) => {
      ready = false;
      if (event.code === 4403) { stopped = true; setStatus(t.refused); return; }
      if (stopped) return;
      // Exponential backoff with full jitter, capped at 30 seconds.
      const delay = Math.random() * Math.min(30000, 500 * 2 ** attempt);
      attempt = Math.min(attempt + 1, 10);
      setStatus(t.reconnecting);
      timer = setTimeout(() => { timer = null; connect(); }, delay);
    };
  }

  if (form && textarea) {
    form.addEventListener("submit", (event) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        if (!navigator.onLine) { event.preventDefault(); queue(); }
        return; // otherwise the form posts normally
      }
      event.preventDefault();
      queue();
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  function queue() {
    const body = textarea.value.trim();
    if (!body) { showError(t.empty); textarea.focus(); return; }
    showError("");
    const clientId = newClientId();
    pending.set(clientId, { li: showPending(clientId, body), body: body });
    textarea.value = "";
    textarea.focus();
    send(clientId, body);
  }

  const earlier = document.getElementById("chat-earlier");
  if (earlier) {
    earlier.addEventListener("click", async (event) => {
      event.preventDefault();
      const res = await fetch(root.dataset.messagesUrl + "?before=" + earlier.dataset.before, { credentials: "same-origin" });
      if (!res.ok) { window.location.href = earlier.href; return; }
      const data = await res.json();
      data.messages.slice().reverse().forEach((m) => apply(m, true));
      if (data.messages.length) {
        earlier.dataset.before = String(data.messages[0].id);
        earlier.href = earlier.href.replace(/before=\d+/, "before=" + data.messages[0].id);
      }
      if (!data.more) earlier.parentElement.remove();
    });
  }

  if (showNameWrap && showName) {
    showNameWrap.hidden = false;
    showName.addEventListener("change", () => {
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "show_name", value: showName.checked }));
    });
  }

  // The browser knows before the socket does: drop a dead connection at once, and on the way
  // back try now rather than waiting out the backoff.
  window.addEventListener("offline", () => { if (ws) ws.close(); });
  window.addEventListener("online", () => {
    attempt = 0;
    if (timer) { clearTimeout(timer); timer = null; connect(); } else if (ws && ws.readyState !== WebSocket.OPEN) ws.close();
  });
  scroller.scrollTop = scroller.scrollHeight;
  connect();
}
