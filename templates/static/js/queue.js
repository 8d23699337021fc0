// The tablet's local queue of capture records (IndexedDB) and its sync with the server.
//
// Every capture action becomes a record with a client-generated UUID, written here
// before anything is sent: a commune office often has no signal, and a record must
// survive a reload, a crash or a dead battery. The server deduplicates by UUID, so a
// record is simply re-sent until the server has answered for it; the answer, not the
// send, takes it out of the queue.
//
// A record's `state`:
//   pending   - not yet acknowledged; counted as "unsent" and sent by sync()
//   synced    - the server answered created/duplicate; kept (until logout) so the page
//               can show what was captured and the server's verdict
//   conflict  - the server refused it (409: same UUID with other content, stale base)
//   rejected  - the server refused it (4xx: bad input); conflict and rejected stay
//               visible with the server's message and block logout until discarded
//
// The service worker (sw.js) reads the same database to refuse a logout while records
// are unsent, so the schema below is shared with it: change both together.

export const DB_NAME = "congvu-capture";
const DB_VERSION = 1;
const BATCH = 100;
const RETRY_MS = 15000;

const events = new EventTarget();
let dbPromise = null;
let running = null;
let owner = "";
export const status = { syncing: false, authExpired: false, lastError: "", online: navigator.onLine };

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        const records = db.createObjectStore("records", { keyPath: "uuid" });
        records.createIndex("inspection", "inspection_id");
        records.createIndex("state", "state");
        db.createObjectStore("evidence", { keyPath: "sha256" });
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another tab upgrading or deleting the database must not wait on this one.
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

async function store(name, mode = "readonly") {
  const db = await openDb();
  const tx = db.transaction(name, mode);
  return { tx, store: tx.objectStore(name) };
}

function changed() {
  events.dispatchEvent(new Event("change"));
}

export function onChange(listener) {
  events.addEventListener("change", listener);
}

/** Records are sent only with the session of the account that captured them. */
export function setOwner(username) {
  owner = username;
}

let sequence = 0;

export async function addRecord(type, inspectionId, payload, replaces = null) {
  const record = {
    uuid: crypto.randomUUID(),
    type,
    inspection_id: inspectionId,
    replaces,
    device_time: new Date().toISOString(),
    payload,
    owner,
    // Batches keep capture order (start before attendance, findings before submit).
    seq: Date.now() * 1000 + (sequence++ % 1000),
    state: "pending",
    error: null,
    server: null,
  };
  const { tx, store: records } = await store("records", "readwrite");
  records.add(record);
  await done(tx);
  changed();
  sync();
  return record;
}

export async function recordsOf(inspectionId) {
  const { store: records } = await store("records");
  const rows = await request(records.index("inspection").getAll(inspectionId));
  return rows.sort((a, b) => a.seq - b.seq);
}

async function allRecords() {
  const { store: records } = await store("records");
  return (await request(records.getAll())).sort((a, b) => a.seq - b.seq);
}

/** pending: waiting to be sent; problems: refused by the server, waiting for a person. */
export async function counts() {
  const rows = await allRecords();
  return {
    pending: rows.filter((r) => r.state === "pending").length,
    problems: rows.filter((r) => r.state === "conflict" || r.state === "rejected").length,
  };
}

export async function problems() {
  return (await allRecords()).filter((r) => r.state === "conflict" || r.state === "rejected");
}

export async function discard(uuid) {
  const { tx, store: records } = await store("records", "readwrite");
  records.delete(uuid);
  await done(tx);
  changed();
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Keeps a photo as a Blob under its sha256, the name the server stores it by. */
export async function addEvidence(file) {
  const sha256 = hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
  const { tx, store: evidence } = await store("evidence", "readwrite");
  evidence.put({
    sha256,
    blob: file,
    type: file.type || "application/octet-stream",
    name: file.name || "",
    device_time: new Date(file.lastModified || Date.now()).toISOString(),
    uploaded: false,
  });
  await done(tx);
  return sha256;
}

export async function evidenceBlob(sha256) {
  const { store: evidence } = await store("evidence");
  const row = await request(evidence.get(sha256));
  return row ? row.blob : null;
}

async function putEvidence(row) {
  const { tx, store: evidence } = await store("evidence", "readwrite");
  evidence.put(row);
  await done(tx);
}

async function saveRecords(rows) {
  const { tx, store: records } = await store("records", "readwrite");
  for (const row of rows) records.put(row);
  await done(tx);
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export function wire(record) {
  const { uuid, type, inspection_id, replaces, device_time, payload } = record;
  return { uuid, type, inspection_id, replaces, device_time, payload };
}

class AuthExpired extends Error {}

function problemMessage(body, fallback) {
  return (body && (body.detail || body.message)) || fallback;
}

async function uploadEvidence(pending) {
  const needed = new Set(pending.flatMap((r) => (r.payload && r.payload.evidence) || []));
  for (const sha256 of needed) {
    const { store: evidence } = await store("evidence");
    const row = await request(evidence.get(sha256));
    if (!row) {
      for (const r of pending.filter((p) => (p.payload.evidence || []).includes(sha256))) {
        r.state = "rejected";
        r.error = { field: "evidence", message: "missing-photo" };
      }
      continue;
    }
    if (row.uploaded) continue;
    const response = await fetch(`/api/v1/evidence/${sha256}`, {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        "Content-Type": row.type,
        "X-Device-Time": row.device_time,
        "x-csrftoken": csrfToken(),
        Accept: "application/json",
      },
      body: row.blob,
    });
    if (response.status === 401 || response.status === 403) throw new AuthExpired();
    if (response.ok) {
      row.uploaded = true;
      await putEvidence(row);
    } else if (response.status >= 400 && response.status < 500) {
      // The photo itself is refused (not an image, too big): the records that cite it
      // cannot succeed as they are, so they wait for a person instead of retrying.
      const body = await response.json().catch(() => null);
      for (const r of pending.filter((p) => (p.payload.evidence || []).includes(sha256))) {
        r.state = "rejected";
        r.error = { field: "evidence", message: problemMessage(body, `HTTP ${response.status}`) };
      }
    } else {
      throw new Error(`HTTP ${response.status}`);
    }
  }
  await saveRecords(pending.filter((r) => r.state === "rejected"));
  return pending.filter((r) => r.state === "pending");
}

async function sendBatch(batch) {
  const response = await fetch("/api/v1/sync", {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "x-csrftoken": csrfToken(),
    },
    body: JSON.stringify({ records: batch.map(wire) }),
  });
  if (response.status === 401 || response.status === 403) throw new AuthExpired();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { results } = await response.json();
  const byUuid = new Map(batch.map((r) => [r.uuid, r]));
  for (const result of results) {
    const record = byUuid.get(result.uuid);
    if (!record) continue;
    if (result.status === "created" || result.status === "duplicate") {
      record.state = "synced";
      record.error = null;
      record.server = result.record || null;
    } else if (result.status === "conflict" || result.status === "rejected") {
      record.state = result.status;
      record.error = result.error || { field: null, message: `HTTP ${result.http_status}` };
      record.server = result.record || null;
    }
  }
  await saveRecords(batch);
}

async function run() {
  if (!navigator.onLine) return;
  status.syncing = true;
  status.lastError = "";
  changed();
  try {
    let pending = (await allRecords()).filter(
      (r) => r.state === "pending" && (!owner || r.owner === owner),
    );
    if (!pending.length) return;
    // Photos first: a finding is only accepted once the evidence it cites is stored.
    pending = await uploadEvidence(pending);
    for (let i = 0; i < pending.length; i += BATCH) {
      await sendBatch(pending.slice(i, i + BATCH));
    }
    status.authExpired = false;
  } catch (error) {
    if (error instanceof AuthExpired) status.authExpired = true;
    else status.lastError = String(error && error.message ? error.message : error);
  } finally {
    status.syncing = false;
    changed();
  }
}

/** Sends what is pending; concurrent calls share one run. */
export function sync() {
  if (!running) running = run().finally(() => (running = null));
  return running;
}

/** After the server has acknowledged everything: nothing of this account stays on the tablet. */
export async function clearAll() {
  const db = await openDb();
  const tx = db.transaction(["records", "evidence"], "readwrite");
  tx.objectStore("records").clear();
  tx.objectStore("evidence").clear();
  await done(tx);
  if (window.caches) await caches.delete("congvu-data");
  changed();
}

export function start() {
  const update = () => {
    status.online = navigator.onLine;
    changed();
    if (navigator.onLine) sync();
  };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  setInterval(() => {
    if (navigator.onLine) sync();
  }, RETRY_MS);
  sync();
}
