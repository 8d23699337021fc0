// Right after sign-in, an inspection team's tablet keeps what it needs offline: the
// service worker caches the assigned-inspections list and every assigned capture page,
// so the first time the list is opened with no signal it is already there.
// <html data-offline-ready="N"> says it is done (N inspections; -1 when it could not).

function precacheAssigned() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "precached") {
      document.documentElement.dataset.offlineReady = String(event.data.count);
    }
  });
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active.postMessage({ type: "precache" }))
    .catch(() => {});
}

precacheAssigned();
