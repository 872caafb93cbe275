// The service worker (served as /sw.js by pinghu.offline.service_worker, which sets self.PINGHU_OFFLINE and imports
// Workbox from static/vendor/workbox/, then queue.js and this file). It keeps two things, nothing else:
// - "pinghu-pages": the signed-in user's offline pages (the visit form, the queue page), NetworkFirst, so they open
//   with no connection. Never an API answer, an export, the admin, or a page of another user: page.js deletes this
//   cache on sign-out and on any page seen signed out (the login page).
// - "pinghu-static": the static files (CSS, JS, icons), stale-while-revalidate.
// And it sends the offline queue on Background Sync ("pinghu-queue"), where the browser has it.
/* global workbox, PinghuQueue */
const config = self.PINGHU_OFFLINE;
// Workbox's modules from this site (never a CDN), the production builds only (`make assets` copies no others),
// by the URLs the static storage gives them (hashed names under `make serve`).
workbox.setConfig({ debug: false, modulePathCb: (name) => config.modules[name] });
// Loaded now: a service worker may import scripts only while it is first evaluated.
const { registerRoute } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;
const { CacheableResponsePlugin } = workbox.cacheableResponse;

const PAGES = "pinghu-pages";
const STATIC = "pinghu-static";
const SYNC_TAG = "pinghu-queue";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// A page is kept only as its signed-in user saw it: a redirect (to the login page) or an error is not kept.
const onlyTheUsersPage = {
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && !response.redirected && response.type === "basic" ? response : null,
};

registerRoute(
  ({ request, url }) => request.method === "GET" && url.origin === self.location.origin && config.pages.includes(url.pathname),
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 6, // a weak signal: after 6 s the kept page opens rather than a blank screen
    matchOptions: { ignoreSearch: true, ignoreVary: true },
    plugins: [onlyTheUsersPage],
  }),
);

registerRoute(
  ({ request, url }) => request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith(config.staticPrefix),
  new StaleWhileRevalidate({
    cacheName: STATIC,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 150 })],
  }),
);

// Fetches the offline pages and the static files they use into the caches (asked by page.js once per session
// of a signed-in user), so the visit form opens offline even if the user never opened it online on this phone.
async function warm() {
  const pages = await caches.open(PAGES);
  const statics = await caches.open(STATIC);
  const assets = new Set();
  for (const path of config.pages) {
    const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
    if (!(await onlyTheUsersPage.cacheWillUpdate({ response }))) continue;
    await pages.put(path, response.clone());
    const html = await response.text();
    for (const match of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const url = match[1].replace(/&amp;/g, "&");
      if (url.startsWith(config.staticPrefix)) assets.add(url);
    }
  }
  await Promise.all([...assets].map(async (url) => ((await statics.match(url)) ? null : statics.add(url).catch(() => null))));
}

self.addEventListener("message", (event) => {
  if (!event.data) return;
  if (event.data.type === "warm") event.waitUntil(warm().catch(() => null));
  if (event.data.type === "forget") event.waitUntil(caches.delete(PAGES));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    PinghuQueue.sendAll(config.token, config.texts || {}).then((summary) => {
      // Rejecting asks the browser to try again later (still no connection).
      if (summary && summary.offline) throw new Error("offline: the queue waits for the connection");
    }),
  );
});
