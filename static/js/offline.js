// The safety plan page: "Keep on this device" / "Remove from this device", and Print.
// Also loaded on the sign-out page, where it removes any kept copy before signing out
// (the sign-out response's Clear-Site-Data header does the same in browsers that support it).
const CACHE = "peer-support-offline-v1";

async function forget() {
  if ("caches" in window) {
    for (const name of await caches.keys()) {
      if (name.startsWith("peer-support-offline")) await caches.delete(name);
    }
  }
  if ("serviceWorker" in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      await registration.unregister();
    }
  }
}

async function keep(section) {
  const urls = section.dataset.offlineUrls.split(" ").filter(Boolean);
  await navigator.serviceWorker.register(section.dataset.swUrl, { scope: "/" });
  await navigator.serviceWorker.ready;
  const cache = await caches.open(CACHE);
  for (const url of urls) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok || response.redirected) throw new Error("not kept");
    await cache.put(url, response);
  }
}

async function setUp(section) {
  const supported = "serviceWorker" in navigator && "caches" in window && window.isSecureContext;
  if (!supported) return;
  const controls = section.querySelector("[data-offline-controls]");
  const keepButton = section.querySelector("[data-offline-keep]");
  const removeButton = section.querySelector("[data-offline-remove]");
  const status = section.querySelector("[data-offline-status]");
  section.querySelector("[data-offline-unsupported]").hidden = true;
  controls.hidden = false;
  const show = (isKept, message) => {
    keepButton.hidden = isKept;
    removeButton.hidden = !isKept;
    status.textContent = message ?? (isKept ? status.dataset.kept : "");
  };
  show(await caches.has(CACHE));
  keepButton.addEventListener("click", async () => {
    keepButton.disabled = true;
    try {
      await keep(section);
      show(true, status.dataset.kept);
    } catch {
      await forget();
      show(false, status.dataset.failed);
    } finally {
      keepButton.disabled = false;
    }
  });
  removeButton.addEventListener("click", async () => {
    await forget();
    show(false, status.dataset.removed);
  });
}

const section = document.querySelector("[data-offline]");
if (section) setUp(section);

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// The sign-out page: clear the kept copy before the sign-out form is sent.
for (const form of document.querySelectorAll("form[data-sign-out]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.cleared) return;
    event.preventDefault();
    forget().finally(() => {
      form.dataset.cleared = "1";
      form.requestSubmit();
    });
  });
}
