// The inspector's tablet pages: the list of assigned inspections and the capture page.
//
// Nothing here talks to the server directly except to read the assigned inspections:
// every action becomes a queue record (queue.js) that is kept on the tablet and sent
// when there is a connection. What the page shows is rebuilt from those records, so
// it is the same before and after a reload, online or not.

import * as queue from "./queue.js";
// Registers the service worker and keeps the assigned list and capture pages offline.
import "./offline.js";

const app = document.getElementById("capture-app");
const T = JSON.parse(document.getElementById("capture-texts").textContent);
const L = JSON.parse(document.getElementById("capture-labels").textContent);
const locale = app.dataset.locale || "vi";
const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

function clone(id) {
  return document.getElementById(id).content.cloneNode(true);
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** dd/mm/yyyy, the way Vietnamese documents write dates. */
function formatDate(value) {
  if (!value) return "";
  const [y, m, d] = String(value).slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

function today() {
  const now = new Date();
  return `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`;
}

function hhmm(date = new Date()) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "7:05", "07.05", "7h05" or "0705" as "07:05"; null when it is not a 24-hour time.
 * The fields are text, not type=time, so they read 24-hour whatever the browser's language. */
function normalTime(text) {
  const match = /^\s*([01]?\d|2[0-3])\s*[:.hH]?\s*([0-5]\d)\s*$/.exec(text || "");
  return match ? `${match[1].padStart(2, "0")}:${match[2]}` : null;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

async function loadAssigned() {
  try {
    const response = await fetch("/api/v1/inspections/assigned", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return { inspections: null, status: response.status };
    return { inspections: await response.json(), status: response.status };
  } catch (error) {
    return { inspections: null, status: 0 };
  }
}

// ---------------------------------------------------------------------------------
// Sync bar, on both pages

function stateLabel(record) {
  return T[record.state] || record.state;
}

function errorText(record) {
  if (!record.error) return "";
  if (record.error.message === "missing-photo") return T.missing_photo;
  return record.error.field ? `${record.error.field}: ${record.error.message}` : record.error.message;
}

function describe(record) {
  const p = record.payload || {};
  if (record.type === "attendance") return `${T[p.status] || p.status} — ${officialName(p.official_id)}`;
  if (record.type === "finding") return `${violationLabel(p.violation_code)} — ${officialName(p.official_id)}`;
  if (record.type === "withdrawal") return `${T.withdrawn}: ${p.reason || ""}`;
  if (record.type === "signature") return `${T[`sig_${p.role}`] || ""}: ${p.name || ""}`;
  if (record.type === "start") return T.record_start;
  if (record.type === "submit") return T.record_submit;
  return "";
}

async function renderSyncBar() {
  const bar = $("#sync-bar");
  const { pending, problems } = await queue.counts();
  const online = navigator.onLine;
  bar.dataset.state = online ? "online" : "offline";
  $("#offline-banner").hidden = online;
  $("#unsent-count").textContent = String(pending);
  bar.dataset.unsent = String(pending);
  let message = online ? (pending ? T.online : T.all_sent) : T.offline;
  if (queue.status.syncing) message = T.syncing;
  else if (queue.status.authExpired) message = T.auth_expired;
  else if (queue.status.lastError && pending) message = T.retry_later;
  $("#sync-message").textContent = online || queue.status.syncing ? message : T.offline_short;
  $("#sync-now").disabled = !online || !pending;

  const list = $("#problem-list");
  list.replaceChildren();
  for (const record of await queue.problems()) {
    const item = clone("tpl-problem");
    $(".what", item).textContent = `${stateLabel(record)}: ${describe(record)}`;
    $(".why", item).textContent = errorText(record);
    $(".discard", item).addEventListener("click", async () => {
      if (window.confirm(T.discard_confirm)) await queue.discard(record.uuid);
    });
    list.append(item);
  }
  $("#problems").hidden = problems === 0;
  if (online && pending + problems === 0) $("#logout-message").hidden = true;
  $("#problem-count").textContent = String(problems);
}

function showLogoutMessage(kind) {
  const box = $("#logout-message");
  box.textContent = kind === "offline" ? T.logout_offline : T.logout_blocked;
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
}

/** A shared tablet: sign out only once the server has acknowledged every record. */
function guardLogout() {
  const form = document.querySelector('form[action="/logout"]');
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!navigator.onLine) {
      showLogoutMessage("offline");
      return;
    }
    await queue.sync();
    const { pending, problems } = await queue.counts();
    if (pending + problems > 0) {
      showLogoutMessage("blocked");
      return;
    }
    await queue.clearAll();
    form.submit();
  });
  const reason = new URLSearchParams(location.search).get("logout");
  if (reason) showLogoutMessage(reason);
}

// ---------------------------------------------------------------------------------
// The assigned inspections

async function assignedPage() {
  const status = $("#assigned-status");
  const { inspections, status: http } = await loadAssigned();
  if (!inspections) {
    status.textContent = http ? `${T.not_loaded} (HTTP ${http})` : T.not_loaded;
    return;
  }
  status.textContent = navigator.onLine ? "" : T.from_cache;
  if (!inspections.length) status.textContent = T.none_assigned;
  const list = $("#assigned-list");
  list.replaceChildren();
  for (const inspection of inspections) {
    const item = clone("tpl-assigned");
    const link = $("a", item);
    link.href = `/inspections/${inspection.id}/capture`;
    $(".when", item).textContent = `${formatDate(inspection.scheduled_date)} · ${L.kinds[inspection.kind] || inspection.kind} · ${L.statuses[inspection.status] || inspection.status}`;
    $(".unit", item).textContent = inspection.unit.name;
    const topics = (inspection.topics || []).map((t) => L.topics[t] || t);
    $(".meta", item).textContent = [`${inspection.roster.length} ${T.officials}`, ...topics].join(" · ");
    list.append(item);
  }
  // Opened here with a connection, each capture page must also open without one.
  if (window.caches && navigator.onLine) {
    const cache = await caches.open("congvu-data");
    for (const inspection of inspections) {
      cache.add(`/inspections/${inspection.id}/capture`).catch(() => {});
    }
  }
}

// ---------------------------------------------------------------------------------
// The capture page

const inspectionId = Number((location.pathname.match(/^\/inspections\/(\d+)\/capture/) || [])[1]);
let inspection = null;
let records = [];
const officials = new Map();
const checklist = new Map();
const photoUrls = new Map();

function officialName(id) {
  if (id === null || id === undefined || id === "") return T.unit_subject;
  const official = officials.get(Number(id));
  return official ? official.full_name : `#${id}`;
}

function violationLabel(code) {
  const item = checklist.get(code);
  if (!item) return code;
  return (locale === "en" && item.label_en) || item.label_vi;
}

/** The newest accepted-or-waiting version, which a correction must name as replaced. */
function latest(type, match) {
  const versions = records.filter(
    (r) => r.type === type && match(r.payload) && r.state !== "rejected" && r.state !== "conflict",
  );
  return versions.length ? versions[versions.length - 1] : null;
}

function newest(type, match) {
  const versions = records.filter((r) => r.type === type && match(r.payload));
  return versions.length ? versions[versions.length - 1] : null;
}

/** Why a start at ``started`` (a local Date) falls outside the unit's working time, or
 * null. The server says the same and refuses a start without a reason; asking here keeps
 * the team from finding out only when the tablet syncs. */
function outsideHours(started) {
  const day = `${started.getFullYear()}-${pad(started.getMonth() + 1)}-${pad(started.getDate())}`;
  // The calendar's verdict is known offline for the scheduled day only.
  if (inspection.day_off && day === inspection.scheduled_date) return inspection.day_off;
  const s = inspection.sessions;
  const t = hhmm(started);
  if ((s.morning_start <= t && t < s.morning_end) || (s.afternoon_start <= t && t < s.afternoon_end)) {
    return null;
  }
  const when = `${t} ${today()}`;
  if (t < s.morning_start) return `${when} ${fill(T.before_opening, { time: s.morning_start })}`;
  if (t < s.afternoon_start) {
    return `${when} ${fill(T.lunch_break, { from: s.morning_end, to: s.afternoon_start })}`;
  }
  return `${when} ${fill(T.after_closing, { time: s.afternoon_end })}`;
}

function isStarted() {
  return Boolean(latest("start", () => true)) || inspection.status !== "planned";
}

function isSubmitted() {
  return Boolean(latest("submit", () => true)) || ["submitted", "closed"].includes(inspection.status);
}

function stateChip(record) {
  const chip = document.createElement("span");
  chip.className = `record-state state-${record.state}`;
  chip.textContent = stateLabel(record);
  const error = errorText(record);
  if (error) chip.title = error;
  return chip;
}

function showStep(step) {
  const started = inspection && isStarted();
  if (!started && step !== "start") step = "start";
  for (const tab of $$(".steps [data-step]")) {
    const selected = tab.dataset.step === step;
    tab.setAttribute("aria-selected", String(selected));
    tab.classList.toggle("active", selected);
    tab.disabled = !started && tab.dataset.step !== "start";
  }
  for (const panel of $$("[data-panel]")) panel.hidden = panel.dataset.panel !== step;
  if (location.hash !== `#${step}`) history.replaceState(null, "", `#${step}`);
}

function setupSteps() {
  for (const tab of $$(".steps [data-step]")) tab.addEventListener("click", () => showStep(tab.dataset.step));
  for (const button of $$("[data-goto]")) button.addEventListener("click", () => showStep(button.dataset.goto));
}

// -- start -------------------------------------------------------------------------

let position = null;

function setupStart() {
  const form = $("#start-form");
  $("#start-date").textContent = today();
  $("#start-time").value = hhmm();
  $("#start-place").value = inspection.unit.name;
  $("#gps-button").addEventListener("click", () => {
    const result = $("#gps-result");
    if (!navigator.geolocation) {
      result.textContent = T.gps_unsupported;
      return;
    }
    result.textContent = T.gps_wait;
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        position = coords;
        result.textContent = `${coords.latitude.toFixed(6)}, ${coords.longitude.toFixed(6)} (${T.accuracy} ± ${Math.round(coords.accuracy)} m)`;
      },
      (error) => {
        position = null;
        result.textContent = `${T.gps_failed}: ${error.message}`;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const place = $("#start-place").value.trim();
    const time = normalTime($("#start-time").value || hhmm());
    if (!time) {
      $("[data-error]", form).textContent = T.bad_time;
      $("#start-time").focus();
      return;
    }
    $("#start-time").value = time;
    const [h, m] = time.split(":").map(Number);
    if (!place) {
      $("[data-error]", form).textContent = T.at_place;
      return;
    }
    const started = new Date();
    started.setHours(h, m, 0, 0);
    const payload = { started_at: started.toISOString(), place };
    const outside = outsideHours(started);
    const reason = $("#start-reason").value.trim() || (outside ? inspection.off_hours_reason : "");
    if (outside && !reason) {
      $("#start-off-hours").hidden = false;
      $("#start-off-hours-why").textContent = fill(T.outside_hours, { when: outside });
      $("[data-error]", form).textContent = T.enter_reason;
      $("#start-reason").focus();
      return;
    }
    if (outside) payload.off_hours_reason = reason;
    if (position) {
      payload.latitude = position.latitude;
      payload.longitude = position.longitude;
      payload.accuracy_m = position.accuracy;
    }
    const base = latest("start", () => true);
    await queue.addRecord("start", inspectionId, payload, base ? base.uuid : null);
    await renderCapture();
    showStep("attendance");
  });
}

function renderStart() {
  const record = newest("start", () => true);
  const local = Boolean(record) && record.state !== "rejected" && record.state !== "conflict";
  // Started from another tablet of the team: the server says so, nothing to start here.
  const started = local || inspection.status !== "planned";
  $("#start-form").hidden = started;
  $("#start-done").hidden = !started;
  const state = $("#start-state");
  state.replaceChildren();
  if (local) {
    const at = new Date(record.payload.started_at);
    $("#start-summary").textContent = `${T.started_at} ${hhmm(at)} ${today()} ${T.at_place} ${record.payload.place}`;
    state.append(stateChip(record));
  } else if (started) {
    $("#start-summary").textContent = T.started_elsewhere;
  }
  if (record && record.error) state.append(" ", stateChip(record), " ", errorText(record));
}

// -- attendance --------------------------------------------------------------------

function renderRoster() {
  const roster = $("#roster");
  roster.replaceChildren();
  const groups = new Map();
  for (const official of inspection.roster) {
    const key = official.unit_name || inspection.unit.name;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(official);
  }
  const own = inspection.unit.name;
  const ordered = [...groups].sort(([a], [b]) => (a === own ? -1 : b === own ? 1 : a.localeCompare(b, "vi")));
  for (const [name, members] of ordered) {
    const group = clone("tpl-unit-group");
    $(".group", group).textContent = name;
    const list = $(".roster", group);
    for (const official of members) list.append(officialRow(official));
    roster.append(group);
  }
}

function officialRow(official) {
  const row = clone("tpl-official");
  const item = $(".official", row);
  item.dataset.officialId = official.id;
  $(".name", item).textContent = official.full_name;
  $(".role", item).textContent = [official.position, official.desk].filter(Boolean).join(" · ");
  for (const button of $$(".marks button", item)) {
    button.addEventListener("click", () => {
      const status = button.dataset.status;
      for (const form of $$("form.detail", item)) form.hidden = form.dataset.for !== status;
      if (status === "late") {
        $("[name=arrival_time]", item).value = hhmm();
        $("[name=arrival_time]", item).focus();
      } else if (status === "present" || status === "absent") {
        markAttendance(official.id, { status });
      }
    });
  }
  for (const form of $$("form.detail", item)) {
    $("[data-cancel]", form).addEventListener("click", () => (form.hidden = true));
    for (const field of $$("[data-time]", form)) field.addEventListener("input", () => field.setCustomValidity(""));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      form.hidden = true;
      if (form.dataset.for === "late") {
        const arrival = normalTime($("[name=arrival_time]", form).value);
        if (!arrival) {
          form.hidden = false;
          $("[name=arrival_time]", form).setCustomValidity(T.bad_time);
          $("[name=arrival_time]", form).reportValidity();
          return;
        }
        markAttendance(official.id, { status: "late", arrival_time: arrival });
      } else {
        const reason = $("[name=reason]", form).value.trim();
        markAttendance(official.id, {
          status: "away",
          away_kind: $("[name=away_kind]", form).value,
          ...(reason ? { reason } : {}),
        });
      }
    });
  }
  return row;
}

async function markAttendance(officialId, fields) {
  const base = latest("attendance", (p) => p.official_id === officialId);
  await queue.addRecord(
    "attendance",
    inspectionId,
    { official_id: officialId, ...fields, observed_at: new Date().toISOString() },
    base ? base.uuid : null,
  );
}

function attendanceText(payload) {
  let text = T[payload.status] || payload.status;
  if (payload.status === "late" && payload.arrival_time) text += ` (${T.arrived_at} ${payload.arrival_time})`;
  if (payload.status === "away") {
    text += ` (${T[payload.away_kind] || payload.away_kind}${payload.reason ? `: ${payload.reason}` : ""})`;
  }
  return text;
}

function renderAttendance() {
  let marked = 0;
  for (const item of $$("#roster .official")) {
    const id = Number(item.dataset.officialId);
    const record = newest("attendance", (p) => p.official_id === id);
    const state = $(".mark-state", item);
    state.replaceChildren();
    for (const button of $$(".marks button", item)) {
      button.setAttribute("aria-pressed", String(Boolean(record) && record.payload.status === button.dataset.status));
    }
    if (!record) continue;
    marked += 1;
    state.append(attendanceText(record.payload), " ", stateChip(record));
    const verdict = record.server && record.server.verdict && record.server.verdict.explanation_vi;
    const error = errorText(record);
    if (verdict || error) {
      const note = document.createElement("span");
      note.className = error ? "note error" : "note";
      note.textContent = error || verdict;
      state.append(note);
    }
  }
  $("#attendance-progress").textContent = `${marked}/${inspection.roster.length}`;
  return marked;
}

// -- conduct and findings ----------------------------------------------------------

let photos = [];
// The finding version being edited in the form (its newest version), or null.
let editing = null;

function isLive(record) {
  return record.state !== "rejected" && record.state !== "conflict";
}

/** One entry per manual finding: the newest version of each chain of edits (an edit
 * names the version it replaces), with the withdrawal that ended it, if any. A rejected
 * edit is an entry of its own, with its error, beside the version it failed to replace. */
function findingChains() {
  const findings = records.filter((r) => r.type === "finding");
  const replaced = new Set(findings.filter(isLive).map((r) => r.replaces).filter(Boolean));
  const withdrawals = records.filter((r) => r.type === "withdrawal" && isLive(r));
  return findings
    .filter((r) => !replaced.has(r.uuid))
    .map((tip) => ({ tip, withdrawal: withdrawals.find((w) => w.replaces === tip.uuid) || null }));
}

function startEdit(tip) {
  const p = tip.payload;
  editing = tip;
  $("#finding-subject").value = p.official_id ? String(p.official_id) : "";
  renderChecklist();
  const chip = $(`[name=violation_code][value="${CSS.escape(p.violation_code)}"]`);
  if (chip) chip.checked = true;
  $("#finding-facts").value = p.facts || "";
  photos = [...(p.evidence || [])];
  renderPhotoPreview();
  const note = $("#finding-editing");
  note.textContent = fill(T.editing, { what: `${violationLabel(p.violation_code)} — ${officialName(p.official_id)}` });
  note.hidden = false;
  $("#finding-save").textContent = T.save_edit;
  $("#finding-cancel-edit").hidden = false;
  $("#finding-form").scrollIntoView({ block: "start" });
}

function endEdit() {
  editing = null;
  photos = [];
  $("#finding-facts").value = "";
  for (const input of $$("[name=violation_code]")) input.checked = false;
  $("#finding-editing").hidden = true;
  $("#finding-save").textContent = T.record_finding;
  $("#finding-cancel-edit").hidden = true;
  renderPhotoPreview();
}

let withdrawing = null;

function setupWithdrawal() {
  const dialog = $("#withdraw-dialog");
  const reason = $("#withdraw-reason");
  $("#withdraw-cancel").addEventListener("click", () => dialog.close());
  $("#withdraw-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      $("[data-error]", dialog).textContent = T.enter_withdraw_reason;
      reason.focus();
      return;
    }
    const tip = withdrawing;
    dialog.close();
    if (editing && tip && editing.uuid === tip.uuid) endEdit();
    if (tip) await queue.addRecord("withdrawal", inspectionId, { reason: text }, tip.uuid);
  });
}

function askWithdrawal(tip) {
  withdrawing = tip;
  const dialog = $("#withdraw-dialog");
  $("#withdraw-what").textContent = `${violationLabel(tip.payload.violation_code)} — ${officialName(tip.payload.official_id)}`;
  $("#withdraw-reason").value = "";
  $("[data-error]", dialog).textContent = "";
  dialog.showModal();
}

function setupFindings() {
  const form = $("#finding-form");
  const subject = $("#finding-subject");
  const unitOption = new Option(T.unit_subject, "");
  subject.append(unitOption);
  for (const official of inspection.roster) {
    subject.append(new Option(`${official.full_name} — ${official.position || ""}${official.desk ? ` · ${official.desk}` : ""}`, String(official.id)));
  }
  subject.addEventListener("change", renderChecklist);
  renderChecklist();
  $("#finding-photos").addEventListener("change", async (event) => {
    for (const file of event.target.files) {
      const sha256 = await queue.addEvidence(file);
      if (!photos.includes(sha256)) photos.push(sha256);
      photoUrls.set(sha256, URL.createObjectURL(file));
    }
    event.target.value = "";
    renderPhotoPreview();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("[data-error]", form);
    const code = (form.querySelector("[name=violation_code]:checked") || {}).value;
    const facts = $("#finding-facts").value.trim();
    $("#finding-saved").textContent = "";
    if (!code) {
      error.textContent = T.choose_violation;
      return;
    }
    if (!facts) {
      error.textContent = T.enter_facts;
      $("#finding-facts").focus();
      return;
    }
    error.textContent = "";
    const base = editing;
    await queue.addRecord(
      "finding",
      inspectionId,
      {
        official_id: subject.value ? Number(subject.value) : null,
        violation_code: code,
        facts,
        // An edit corrects what was written down, not when it was seen.
        observed_at: base ? base.payload.observed_at : new Date().toISOString(),
        evidence: photos,
      },
      base ? base.uuid : null,
    );
    $("#finding-saved").textContent = `${T.saved_on_tablet}: ${violationLabel(code)} — ${officialName(subject.value)}`;
    endEdit();
  });
  $("#finding-cancel-edit").addEventListener("click", endEdit);
  setupWithdrawal();
}

function renderChecklist() {
  const person = Boolean($("#finding-subject").value);
  const chips = $("#checklist");
  const selected = (chips.querySelector(":checked") || {}).value;
  chips.replaceChildren();
  for (const item of inspection.checklist) {
    if (item.subject !== "either" && item.subject !== (person ? "person" : "unit")) continue;
    const chip = clone("tpl-chip");
    const input = $("input", chip);
    input.value = item.code;
    input.checked = item.code === selected;
    $(".label", chip).textContent = violationLabel(item.code);
    const severity = $(".severity", chip);
    severity.textContent = T[item.severity] || item.severity;
    severity.dataset.severity = item.severity;
    chips.append(chip);
  }
}

async function thumb(sha256) {
  if (!photoUrls.has(sha256)) {
    const blob = await queue.evidenceBlob(sha256);
    if (!blob) return null;
    photoUrls.set(sha256, URL.createObjectURL(blob));
  }
  const img = document.createElement("img");
  img.src = photoUrls.get(sha256);
  img.alt = "";
  return img;
}

async function renderPhotoPreview() {
  const preview = $("#photo-preview");
  preview.replaceChildren(...(await Promise.all(photos.map(thumb))).filter(Boolean));
  $("#photo-count").textContent = photos.length ? `${photos.length} ${T.photos}` : "";
}

/** Findings the working-hours rules made from the latest attendance of each person. */
function attendanceFindings() {
  const found = [];
  for (const official of inspection.roster) {
    const record = latest("attendance", (p) => p.official_id === official.id);
    if (record && record.server && record.server.finding) found.push(record.server.finding);
  }
  return found;
}

function findingItem({ code, officialId, facts, state, auto }) {
  const item = clone("tpl-finding");
  const li = $(".finding", item);
  li.classList.toggle("auto", auto);
  $(".what", item).textContent = violationLabel(code);
  $(".subject", item).textContent = auto ? `${officialName(officialId)} · ${T.from_attendance}` : officialName(officialId);
  $(".facts", item).textContent = facts;
  $(".record-state", item).replaceWith(state);
  return { item, li };
}

async function renderFindings() {
  const chains = findingChains();
  const submitted = isSubmitted();
  const items = [];
  for (const { tip: record, withdrawal } of chains.slice().reverse()) {
    const p = record.payload;
    const { item, li } = findingItem({
      code: p.violation_code,
      officialId: p.official_id,
      facts: p.facts,
      state: stateChip(withdrawal || record),
      auto: false,
    });
    const thumbs = (await Promise.all((p.evidence || []).map(thumb))).filter(Boolean);
    $(".thumbs", li).append(...thumbs);
    const failed = record.error ? record : withdrawal && withdrawal.error ? withdrawal : null;
    if (failed) {
      const note = document.createElement("p");
      note.className = "error";
      note.textContent = errorText(failed);
      li.append(note);
    }
    if (withdrawal) {
      li.classList.add("withdrawn");
      const note = $(".withdrawn-note", li);
      note.textContent = `${T.withdrawn}: ${withdrawal.payload.reason}`;
      note.hidden = false;
    } else if (isLive(record) && !submitted) {
      $(".finding-actions", li).hidden = false;
      $(".edit", li).addEventListener("click", () => startEdit(record));
      $(".withdraw", li).addEventListener("click", () => askWithdrawal(record));
    }
    items.push(item);
  }
  for (const finding of attendanceFindings()) {
    const { item } = findingItem({
      code: finding.violation_code,
      officialId: finding.official_id,
      facts: finding.facts,
      state: stateChip({ state: "synced" }),
      auto: true,
    });
    items.push(item);
  }
  $("#finding-list").replaceChildren(...items);
  const accepted = chains.filter(({ tip, withdrawal }) => isLive(tip) && !withdrawal).length;
  const total = accepted + attendanceFindings().length;
  $("#finding-count").textContent = String(total);
  return total;
}

// -- signatures --------------------------------------------------------------------

function setupSignatures() {
  for (const form of $$("form.signature")) {
    if (form.dataset.role === "team_lead" && inspection.team_lead) {
      // The minutes name the team lead from the team; the signature carries that name.
      const name = $("[name=name]", form);
      name.value = inspection.team_lead;
      name.readOnly = true;
      name.title = T.lead_from_team;
    }
    const canvas = $("canvas", form);
    const context = canvas.getContext("2d");
    let drawing = false;
    form.inked = false;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * canvas.width) / box.width,
        ((event.clientY - box.top) * canvas.height) / box.height,
      ];
    };
    const clear = () => {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      form.inked = false;
    };
    clear();
    context.lineWidth = 3;
    context.lineCap = context.lineJoin = "round";
    context.strokeStyle = "#0b2a6f";
    canvas.addEventListener("pointerdown", (event) => {
      if ($("[name=refused]", form).checked) return;
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      context.beginPath();
      context.moveTo(...point(event));
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      context.lineTo(...point(event));
      context.stroke();
      form.inked = true;
    });
    const stop = () => (drawing = false);
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    $(".clear", form).addEventListener("click", clear);
    const refused = $("[name=refused]", form);
    refused.addEventListener("change", () => {
      $(".witness", form).hidden = !refused.checked;
      $(".pad-wrap", form).classList.toggle("disabled", refused.checked);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = $("[data-error]", form);
      const name = $("[name=name]", form).value.trim();
      const witness = $("[name=witness_name]", form).value.trim();
      if (!name) return void (error.textContent = T.enter_name);
      if (refused.checked && !witness) return void (error.textContent = T.enter_witness);
      if (!refused.checked && !form.inked) return void (error.textContent = T.sign_first);
      error.textContent = "";
      const role = form.dataset.role;
      const payload = { role, name, refused: refused.checked };
      if (refused.checked) payload.witness_name = witness;
      else payload.image_png_base64 = canvas.toDataURL("image/png").split(",")[1];
      const base = latest("signature", (p) => p.role === role);
      await queue.addRecord("signature", inspectionId, payload, base ? base.uuid : null);
    });
  }
}

function renderSignatures() {
  const signed = [];
  for (const form of $$("form.signature")) {
    const record = newest("signature", (p) => p.role === form.dataset.role);
    const state = $(".signature-state", form);
    state.replaceChildren();
    if (!record) continue;
    const p = record.payload;
    const text = p.refused ? `${T.refused} — ${T.witness}: ${p.witness_name}` : `${T.signed}: ${p.name}`;
    state.append(text, " ", stateChip(record));
    if (record.error) state.append(" ", errorText(record));
    if (record.state !== "rejected" && record.state !== "conflict") signed.push(text);
  }
  return signed;
}

// -- finish ------------------------------------------------------------------------

function setupFinish() {
  $("#submit-inspection").addEventListener("click", async () => {
    const left = unmarkedOfficials();
    const error = $("#submit-error");
    if (left.length && !$("#unmarked-confirm").checked) {
      error.textContent = T.confirm_unmarked;
      $("#unmarked-confirm").focus();
      return;
    }
    error.textContent = "";
    if (!window.confirm(T.submit_confirm)) return;
    const base = latest("submit", () => true);
    // The people listed, by id: the server refuses the submit if anyone else is unmarked.
    const payload = left.length ? { unmarked_confirmed: left.map((o) => o.id) } : {};
    await queue.addRecord("submit", inspectionId, payload, base ? base.uuid : null);
  });
  $("#minutes-link").href = `/inspections/${inspectionId}/minutes`;
}

// Officials of the roster with no attendance mark the server will keep (a rejected or
// conflicting record does not count), in roster order.
function unmarkedOfficials() {
  return inspection.roster.filter((official) => {
    const record = newest("attendance", (p) => p.official_id === official.id);
    return !record || record.state === "rejected" || record.state === "conflict";
  });
}

function renderUnmarked(submitted) {
  const left = submitted ? [] : unmarkedOfficials();
  const warning = $("#unmarked-warning");
  warning.hidden = left.length === 0;
  if (!left.length) return;
  $("#unmarked-title").textContent = T.unmarked_title.replace("{n}", String(left.length));
  $("#unmarked-list").replaceChildren(
    ...left.map((official) => {
      const item = document.createElement("li");
      item.textContent = official.full_name;
      return item;
    }),
  );
}

function renderFinish(marked, findings, signatures) {
  const counts = {};
  for (const official of inspection.roster) {
    const record = newest("attendance", (p) => p.official_id === official.id);
    if (record) counts[record.payload.status] = (counts[record.payload.status] || 0) + 1;
  }
  $("#summary-attendance").textContent =
    `${marked}/${inspection.roster.length} — ` +
    ["present", "late", "absent", "away"].map((s) => `${T[s]}: ${counts[s] || 0}`).join(", ");
  $("#summary-findings").textContent = String(findings);
  $("#summary-signatures").textContent = signatures.join("; ") || "—";
  const submit = newest("submit", () => true);
  const submitted = isSubmitted();
  $("#submit-inspection").hidden = submitted;
  $("#submit-done").hidden = !submitted;
  renderUnmarked(submitted);
  const synced = (submit && submit.state === "synced") || ["submitted", "closed"].includes(inspection.status);
  $("#minutes-link").hidden = !synced;
  const state = $("#submit-state");
  state.replaceChildren();
  if (submit) state.append(stateChip(submit), " ", submit.error ? errorText(submit) : synced ? "" : T.minutes_wait);
  for (const form of $$("#finding-form, form.signature, #start-form, #roster")) {
    form.classList.toggle("locked", submitted);
  }
}

async function renderCapture() {
  records = await queue.recordsOf(inspectionId);
  renderStart();
  const marked = renderAttendance();
  const findings = await renderFindings();
  const signatures = renderSignatures();
  renderFinish(marked, findings, signatures);
  const current = (location.hash || "#start").slice(1);
  showStep(current);
}

async function capturePage() {
  const { inspections, status } = await loadAssigned();
  inspection = inspections && inspections.find((i) => i.id === inspectionId);
  if (!inspection) {
    const missing = $("#inspection-missing");
    missing.textContent = inspections ? T.not_assigned : `${T.not_loaded}${status ? ` (HTTP ${status})` : ""}`;
    missing.hidden = false;
    $(".steps").hidden = true;
    for (const panel of $$("[data-panel]")) panel.hidden = true;
    return;
  }
  $("#inspection-unit").textContent = inspection.unit.name;
  $("#inspection-kind").textContent = L.kinds[inspection.kind] || inspection.kind;
  $("#inspection-date").textContent = formatDate(inspection.scheduled_date);
  document.title = `${inspection.unit.name} · congvu`;
  for (const official of inspection.roster) officials.set(official.id, official);
  for (const item of inspection.checklist) checklist.set(item.code, item);
  setupSteps();
  setupStart();
  renderRoster();
  setupFindings();
  setupSignatures();
  setupFinish();
  queue.onChange(renderCapture);
  window.addEventListener("hashchange", () => showStep(location.hash.slice(1)));
  await renderCapture();
}

// ---------------------------------------------------------------------------------

async function main() {
  queue.setOwner(app.dataset.user);
  queue.onChange(renderSyncBar);
  $("#sync-now").addEventListener("click", () => queue.sync());
  guardLogout();
  if (app.dataset.page === "capture") await capturePage();
  else await assignedPage();
  await renderSyncBar();
  queue.start();
  app.dataset.ready = "1";
}

main();
