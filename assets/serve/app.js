// callsim's planner page: builds the form from GET /api/scenario, runs jobs through
// POST /api/jobs (polled for progress, cancelled with DELETE), and shows the results.
"use strict";

const $ = (id) => document.getElementById(id);
const SECTIONS = { staff: "Staff", volumes: "Volumes", targets: "Targets" };
const HEADLINE = ["offered", "answered", "asa_s", "service_level", "abandon_rate", "booking_lead_s"];
let scenario = null; // what GET /api/scenario returned
let job = null; // the running job's id

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const data = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) {
    const e = new Error(data.error || response.statusText);
    e.path = data.path;
    throw e;
  }
  return data;
}

function showError(e) {
  const box = $("error");
  box.hidden = !e;
  box.textContent = e ? e.message + (e.path ? ` (at ${e.path})` : "") : "";
  document.querySelectorAll(".lever").forEach((row) =>
    row.classList.toggle("bad", !!(e && e.path && row.dataset.path === e.path)));
}

// ---- numbers as a planner reads them ----

function unitOf(name) {
  const defs = (scenario && scenario.metrics) || {};
  const def = defs[name] || (name.startsWith("utilization_on_") ? defs["utilization_on_<queue>"] : null);
  return def ? def.unit : "count";
}

function definitionOf(name) {
  const defs = (scenario && scenario.metrics) || {};
  const def = defs[name] || (name.startsWith("utilization_on_") ? defs["utilization_on_<queue>"] : null);
  return def ? def.definition : "";
}

function duration(s) {
  if (s < 60) return `${s.toFixed(1)}\u00a0s`;
  if (s < 3600) {
    const [m, r] = [Math.floor(s / 60), Math.round(s % 60)];
    return r === 60 ? `${m + 1}\u00a0min\u00a000\u00a0s` : `${m}\u00a0min\u00a0${String(r).padStart(2, "0")}\u00a0s`;
  }
  if (s < 86400) return `${(s / 3600).toFixed(2)}\u00a0h`;
  return `${(s / 86400).toFixed(2)}\u00a0days`;
}

function format(name, v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  switch (unitOf(name)) {
    case "seconds": return duration(v);
    case "lead_time": return `${(v / 86400).toFixed(2)}\u00a0days`;
    case "share": return `${(100 * v).toFixed(1)}%`;
    default: return v.toLocaleString("en", { maximumFractionDigits: Math.abs(v) < 100 ? 2 : 0 });
  }
}

function interval(name, ci) {
  return ci ? `${format(name, ci[0])} to ${format(name, ci[1])}` : "";
}

function labelOf(name) {
  const defs = (scenario && scenario.metrics) || {};
  return defs[name] ? defs[name].label : name.replace(/_s$/, "").replace(/_/g, " ");
}

// `phone.asa_s` as a planner reads it: "phone: average wait (ASA)".
function words(path) {
  const parts = path.split(".");
  const name = parts.pop();
  const scope = parts.filter((p) => p !== "staff").join(".");
  return `${scope}: ${labelOf(name)}`;
}

function metricCell(path) {
  const name = path.split(".").pop();
  return el("td", { class: "metric" }, el("abbr", { title: `${path}: ${definitionOf(name)}` }, words(path)));
}

// A mean with its 95% interval below it, in one cell.
function estimateCell(path, e) {
  const name = path.split(".").pop();
  return el("td", { "data-metric": path, "data-value": e.mean ?? "" },
    format(name, e.mean), el("br", {}), el("small", {}, interval(name, e.ci95)));
}

// ---- the form ----

async function loadScenarios() {
  const list = await api("GET", "/api/scenarios");
  const select = $("scenario");
  select.replaceChildren(...list.map((s) => el("option", { value: s.file }, `${s.name} (${s.file})`)));
  const wanted = new URLSearchParams(location.search).get("file");
  if (wanted && list.some((s) => s.file === wanted)) select.value = wanted;
  if (list.length) await loadScenario(select.value);
  else showError(new Error("No scenario files in the server's directory."));
}

async function loadScenario(file) {
  showError(null);
  scenario = await api("GET", `/api/scenario?file=${encodeURIComponent(file)}`);
  $("description").textContent = scenario.description || "(no description)";
  $("assumption-list").replaceChildren(...scenario.assumptions.flatMap((s) => [
    el("h3", {}, s.title), el("ul", {}, ...s.lines.map((l) => el("li", {}, l))),
  ]));
  $("reps").value = scenario.replications;
  renderLevers();
  $("results").hidden = true;
  $("staff-result").hidden = true;
  $("intro").hidden = false;
}

function renderLevers() {
  const form = $("levers");
  form.replaceChildren();
  for (const [section, title] of Object.entries(SECTIONS)) {
    const levers = scenario.levers.filter((l) => l.section === section);
    if (!levers.length) continue;
    const set = el("fieldset", {}, el("legend", {}, title));
    levers.forEach((l, i) => {
      const id = `lever-${section}-${i}`;
      const input = el("input", {
        id, "data-path": l.path, "data-kind": l.kind,
        type: l.kind === "duration" ? "text" : "number",
        min: "0", step: l.kind === "count" ? "1" : "any",
      });
      input.value = l.value;
      input.dataset.original = String(l.value);
      const row = el("div", { class: "lever", "data-path": l.path }, el("label", { for: id, title: l.path }, l.label), input);
      input.addEventListener("input", () => markChanged(row, input));
      set.append(row);
    });
    form.append(set);
  }
  const searchable = scenario.levers.filter((l) => l.searchable);
  $("lever").replaceChildren(...searchable.map((l) => el("option", { value: l.path }, l.label)));
  $("howmany").hidden = !searchable.length;
}

function markChanged(row, input) {
  const changed = input.value.trim() !== input.dataset.original;
  row.classList.toggle("changed", changed);
  row.querySelector(".was")?.remove();
  if (changed) row.append(el("span", { class: "was" }, `was ${input.dataset.original}`));
}

// The form's changes, as the API's `set`.
function changes() {
  const set = {};
  for (const input of $("levers").querySelectorAll("input")) {
    const text = input.value.trim();
    if (text === input.dataset.original) continue;
    if (text === "") throw Object.assign(new Error("Give a value (or undo the change)."), { path: input.dataset.path });
    const numeric = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text);
    if (input.dataset.kind !== "duration" && !numeric)
      throw Object.assign(new Error(`"${text}" is not a number.`), { path: input.dataset.path });
    set[input.dataset.path] = numeric ? Number(text) : text;
  }
  return set;
}

function request() {
  const reps = Number($("reps").value);
  return { file: scenario.file, set: changes(), reps };
}

// ---- jobs ----

function busy(on) {
  for (const id of ["run", "find", "download", "scenario", "reset"]) $(id).disabled = on;
  $("progress").hidden = !on;
}

async function startJob(body, done) {
  showError(null);
  busy(true);
  $("bar").value = 0;
  $("step").textContent = "starting";
  try {
    job = (await api("POST", "/api/jobs", body)).id;
    for (;;) {
      const status = await api("GET", `/api/jobs/${job}`);
      const p = status.progress;
      $("bar").value = p.total ? p.done / p.total : 0;
      $("step").textContent = status.state === "waiting" ? "waiting for another simulation to finish" : p.step;
      if (status.state === "done") { done(status.result); break; }
      if (status.state === "failed") { showError(Object.assign(new Error(status.error.error), { path: status.error.path })); break; }
      if (status.state === "cancelled") { showError(new Error("Cancelled.")); break; }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    showError(e);
  } finally {
    job = null;
    busy(false);
  }
}

async function cancel() {
  if (job !== null) await api("DELETE", `/api/jobs/${job}`).catch(showError);
}

// ---- results ----

function verdict(t) {
  if (t.value === null) return ["missed", "n/a"];
  if (t.met_strict) return ["met", "met"];
  if (t.met) return ["unsure", "met?"];
  return ["missed", "missed"];
}

function showRun(result) {
  const run = result.run;
  $("intro").hidden = true;
  $("results").hidden = false;
  const targets = $("targets");
  targets.replaceChildren(el("tr", {}, ...["target", "mean", "95% interval", "verdict"].map((h) => el("th", {}, h))));
  for (const t of run.targets) {
    const name = t.metric.split(".").pop();
    const bounds = [t.min !== undefined ? `at least ${format(name, t.min)}` : null,
      t.max !== undefined ? `at most ${format(name, t.max)}` : null].filter(Boolean).join(" and ");
    const [cls, word] = verdict(t);
    targets.append(el("tr", { "data-metric": t.metric },
      el("td", { class: "metric" }, el("abbr", { title: `${t.metric}: ${definitionOf(name)}` }, words(t.metric)), ` ${bounds}`),
      el("td", { "data-value": t.value ?? "" }, format(name, t.value)),
      el("td", {}, interval(name, t.ci95)),
      el("td", {}, el("span", { class: `verdict ${cls}` }, word))));
  }
  if (!run.targets.length) targets.append(el("tr", {}, el("td", { colspan: "4" }, "This scenario sets no targets.")));
  showFigures(run);
  showChange(result.change);
  $("plots").replaceChildren(...result.plots.map((p) => {
    const figure = el("figure", {});
    figure.innerHTML = p.svg; // our own server's SVG, drawn from numbers only
    figure.append(el("figcaption", {}, p.caption));
    return figure;
  }));
  const prov = run.provenance;
  $("run-meta").textContent = `${run.scenario}: ${run.replications} replications, seed ${run.seed}, ` +
    `${prov.events.toLocaleString("en")} events simulated, callsim ${prov.callsim_version}.`;
}

// One row per queue: its headline figures, each with its 95% interval; then staff groups.
function showFigures(run) {
  const figures = $("figures");
  const names = HEADLINE.filter((n) => Object.values(run.queues).some((m) => n in m));
  figures.replaceChildren(el("tr", {}, el("th", {}, "queue"), ...names.map((n) =>
    el("th", {}, el("abbr", { title: definitionOf(n) }, labelOf(n))))));
  for (const [q, metrics] of Object.entries(run.queues)) {
    figures.append(el("tr", {}, el("td", {}, q), ...names.map((n) =>
      metrics[n] ? estimateCell(`${q}.${n}`, metrics[n]) : el("td", {}, "·"))));
  }
  const groups = Object.entries(run.staff).filter(([, m]) => m.utilization);
  if (groups.length) {
    figures.append(el("tr", {}, el("th", {}, "staff group"),
      el("th", {}, el("abbr", { title: definitionOf("utilization") }, "utilization")), el("th", { colspan: String(names.length - 1) }, "")));
    for (const [g, m] of groups)
      figures.append(el("tr", {}, el("td", {}, g), estimateCell(`staff.${g}.utilization`, m.utilization), el("td", { colspan: String(names.length - 1) }, "")));
  }
}

function showChange(change) {
  $("change-section").hidden = !change;
  if (!change) return;
  const table = $("change");
  table.replaceChildren(el("tr", {}, ...["figure", "unedited", "edited", "difference", "95% interval", ""].map((h) => el("th", {}, h))));
  for (const d of change.differences) {
    const parts = d.metric.split(".");
    const name = parts.pop();
    if (!HEADLINE.includes(name) && name !== "utilization") continue;
    const diff = d.difference;
    const signed = (v) => (v > 0 ? "+" : v < 0 ? "−" : "") + format(name, Math.abs(v));
    if (d.base === d.variant) continue; // nothing moved (outbound volumes, closed queues)
    table.append(el("tr", { "data-metric": d.metric }, metricCell(d.metric),
      el("td", {}, format(name, d.base)), el("td", {}, format(name, d.variant)),
      el("td", {}, diff.mean === null ? "n/a" : signed(diff.mean)),
      el("td", {}, diff.ci95 ? `${signed(diff.ci95[0])} to ${signed(diff.ci95[1])}` : "n/a"),
      el("td", { class: "clear" }, d.significant ? "clear" : "")));
  }
}

function showStaff(search) {
  $("intro").hidden = true;
  $("staff-result").hidden = false;
  const lever = scenario.levers.find((l) => l.path === search.lever);
  const label = lever ? lever.label : search.lever;
  const which = search.direction === "max" ? "most" : "fewest";
  const answer = $("staff-answer");
  answer.dataset.value = search.value ?? "";
  answer.textContent = search.value !== null
    ? `${label}: ${search.value} is the ${which} at which every target is met.`
    : `No value from ${search.range[0]} to ${search.range[1]} meets every target` +
      (search.closest !== null ? `; ${search.closest} comes closest.` : ".");
  const table = $("staff-evidence");
  const best = new Map();
  for (const e of search.evaluations) {
    if (!best.has(e.value) || best.get(e.value).replications < e.replications) best.set(e.value, e);
  }
  const rows = [...best.values()].sort((a, b) => a.value - b.value);
  const metrics = rows.length ? rows[0].targets.map((t) => t.metric) : [];
  table.replaceChildren(el("tr", {}, el("th", {}, "value"), el("th", {}, "replications"), el("th", {}, "every target"),
    ...metrics.map((m) => el("th", {}, words(m)))));
  for (const e of rows) {
    const mark = e.value === search.value ? " (the answer)" : e.value === search.neighbour ? " (next to it)" : "";
    table.append(el("tr", {}, el("td", {}, `${e.value}${mark}`), el("td", {}, e.replications),
      el("td", {}, el("span", { class: `verdict ${e.met ? "met" : "missed"}` }, e.met ? "met" : "missed")),
      ...e.targets.map((t) => {
        const [cls, word] = verdict(t);
        return el("td", { title: `mean ${format(t.metric.split(".").pop(), t.value)}` }, el("span", { class: `verdict ${cls}` }, word));
      })));
  }
  $("staff-notes").replaceChildren(...search.notes.map((n) => el("li", {}, n)));
  $("use-answer").hidden = search.value === null;
  $("use-answer").onclick = () => {
    const input = $("levers").querySelector(`input[data-path="${CSS.escape(search.lever)}"]`);
    if (input) { input.value = search.value; input.dispatchEvent(new Event("input")); }
  };
}

// ---- actions ----

async function download() {
  showError(null);
  try {
    const body = request();
    const response = await fetch("/api/download", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (!response.ok) {
      const data = await response.json();
      throw Object.assign(new Error(data.error), { path: data.path });
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const url = URL.createObjectURL(await response.blob());
    const a = el("a", { href: url, download: name ? name[1] : "scenario.json" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    showError(e);
  }
}

function run() {
  let body;
  try { body = { kind: "run", ...request() }; } catch (e) { showError(e); return; }
  $("staff-result").hidden = true;
  startJob(body, showRun);
}

function find() {
  let body;
  try { body = { kind: "staff", ...request(), lever: $("lever").value, direction: $("direction").value }; } catch (e) { showError(e); return; }
  delete body.set[body.lever]; // the search sets the lever itself
  if ($("settle").value.trim() !== "") body.max_reps = Number($("settle").value);
  $("results").hidden = true;
  startJob(body, showStaff);
}

$("scenario").addEventListener("change", (e) => loadScenario(e.target.value).catch(showError));
$("run").addEventListener("click", run);
$("find").addEventListener("click", find);
$("cancel").addEventListener("click", cancel);
$("download").addEventListener("click", download);
$("reset").addEventListener("click", () => { renderLevers(); $("reps").value = scenario.replications; showError(null); });
$("levers").addEventListener("submit", (e) => { e.preventDefault(); run(); });
loadScenarios().catch(showError);
