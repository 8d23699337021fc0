// congvu service worker: the capture pages keep working in a commune office with no
// signal. Served from /sw.js (scope "/") by congvu.inspect.controllers.capture, which
// fills in the shell version (a hash of the shell files) and the list of shell files.
//
// Caches:
//   congvu-shell-<version>  JS, CSS, htmx, icon: cache-first, replaced on each deploy
//   congvu-data             the capture pages and the assigned-inspections JSON of the
//                           signed-in inspector: network-first, the cache answers only
//                           when the network does not; filled at sign-in for every
//                           assigned inspection (precacheAssigned); emptied at logout
//
// Capture records never pass through here: the page keeps them in IndexedDB (queue.js)
// and sends them itself. This worker only refuses a logout while that queue is not
// empty, on every page, because a shared tablet must not lose or mix up records.

const SHELL = "congvu-shell-__SHELL_VERSION__";
const DATA = "congvu-data";
const SHELL_ASSETS = __SHELL_ASSETS__;
const DB_NAME = "congvu-capture";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("congvu-shell-") && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

const CAPTURE_PAGE = /^\/inspections\/\d+\/capture$/;

function isDataRequest(url) {
  return (
    url.pathname === "/inspections" ||
    CAPTURE_PAGE.test(url.pathname) ||
    url.pathname === "/api/v1/inspections/assigned"
  );
}

async function networkFirst(request) {
  const cache = await caches.open(DATA);
  try {
    const response = await fetch(request);
    // A redirect (to /login when the session ended) or an error page is not the page.
    if (response.ok && response.type === "basic" && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const url = new URL(request.url);
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    if (CAPTURE_PAGE.test(url.pathname)) {
      // Every capture page is the same shell (the page reads its inspection id from
      // the address), so any cached one can open an inspection not yet visited.
      for (const key of await cache.keys()) {
        if (CAPTURE_PAGE.test(new URL(key.url).pathname)) return cache.match(key);
      }
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  return cached || fetch(request);
}

function unsentRecords() {
  return new Promise((resolve) => {
    const open = indexedDB.open(DB_NAME);
    open.onupgradeneeded = () => {
      // No database yet means nothing was captured; do not create an empty one, which
      // would keep the page from creating its stores.
      open.transaction.abort();
    };
    open.onerror = () => resolve(0);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("records")) {
        db.close();
        resolve(0);
        return;
      }
      const all = db.transaction("records").objectStore("records").getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result.filter((record) => record.state !== "synced").length);
      };
      all.onerror = () => {
        db.close();
        resolve(0);
      };
    };
  });
}

function clearCapturedData() {
  return new Promise((resolve) => {
    const open = indexedDB.open(DB_NAME);
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => resolve();
    open.onsuccess = () => {
      const db = open.result;
      const stores = ["records", "evidence"].filter((n) => db.objectStoreNames.contains(n));
      if (!stores.length) {
        db.close();
        resolve();
        return;
      }
      const tx = db.transaction(stores, "readwrite");
      for (const name of stores) tx.objectStore(name).clear();
      tx.oncomplete = tx.onerror = () => {
        db.close();
        resolve();
      };
    };
  });
}

async function logout(request) {
  if ((await unsentRecords()) > 0) {
    return Response.redirect("/inspections?logout=blocked", 303);
  }
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return Response.redirect("/inspections?logout=offline", 303);
  }
  // The server has ended the session: the next person on this tablet must not see
  // this inspector's roster, records or photos.
  await Promise.all([caches.delete(DATA), clearCapturedData()]);
  return response;
}

// Asked by a signed-in team's page (offline.js): fetch and keep the assigned list and
// each assigned inspection's capture page now, before the tablet goes where there is no
// signal. A session that ended answers with a redirect to /login: nothing is kept then.
async function precacheAssigned() {
  const cache = await caches.open(DATA);
  const keep = async (path) => {
    const response = await fetch(path, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await cache.put(path, response.clone());
    return response;
  };
  const assigned = await keep("/api/v1/inspections/assigned");
  if (!assigned.ok || assigned.redirected) return -1;
  const inspections = await assigned.json();
  await keep("/inspections");
  await Promise.all(inspections.map((inspection) => keep(`/inspections/${inspection.id}/capture`)));
  return inspections.length;
}

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "precache") return;
  const reply = (count) => event.source && event.source.postMessage({ type: "precached", count });
  event.waitUntil(precacheAssigned().then(reply, () => reply(-1)));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") {
    event.respondWith(logout(request));
    return;
  }
  if (request.method !== "GET") return;
  if (isDataRequest(url)) {
    event.respondWith(networkFirst(request));
  } else if (SHELL_ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
