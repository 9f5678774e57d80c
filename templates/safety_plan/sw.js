{% load static %}/* Peer Support: the offline copy of the Get help now page and the member's safety plan.
 *
 * Nothing is cached unless the member chose "Keep on this device" (js/offline.js fills the
 * cache). Pages are fetched from the network first; only when that fails is the kept copy
 * used. "Remove from this device" and signing out delete the cache and unregister this worker.
 */
const CACHE = "peer-support-offline-v1";
const PAGES = ["{% url 'help' %}", "{% url 'safety_plan:detail' %}"];
const ASSETS = [
  "{% static 'css/site.css' %}",
  "{% static 'css/safety-plan-print.css' %}",
  "{% static 'js/offline.js' %}",
];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function kept(url) {
  return PAGES.includes(url.pathname) || ASSETS.includes(url.pathname);
}

async function networkThenKeptCopy(request, url) {
  try {
    const response = await fetch(request);
    // Refresh the kept copy, but only when the member chose to keep one, and never with a
    // redirect (e.g. to sign in) or an error page.
    if (response.ok && !response.redirected && PAGES.includes(url.pathname) && (await caches.has(CACHE))) {
      const cache = await caches.open(CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const cache = (await caches.has(CACHE)) ? await caches.open(CACHE) : null;
    const copy = cache ? await cache.match(url.pathname) : undefined;
    if (copy) return copy;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !kept(url)) return;
  if (url.search && PAGES.includes(url.pathname)) return;
  event.respondWith(networkThenKeptCopy(event.request, url));
});

self.addEventListener("message", (event) => {
  if (event.data === "forget") {
    event.waitUntil(caches.delete(CACHE).then(() => self.registration.unregister()));
  }
});
