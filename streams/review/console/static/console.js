// The review console. Every action is a call to the review service's JSON API (the same
// handlers and checks as the CLI), signed with the reviewer's token kept in this tab only.
// Data is only ever put on the page as text (textContent), never as HTML.
"use strict";

const TOKEN_KEY = "afterguard-review-token";
const $ = (id) => document.getElementById(id);
const state = { me: null, item: null, acknowledged: new Set() };

// Characters that change how the text around them reads without being seen themselves: bidi
// overrides, embeddings and isolates (U+202E shows "txt.exe" as "exe.txt"), zero-width and
// other format characters, line and paragraph separators, control characters, Hangul fillers.
// An agent writes keys and values with them to make what a reviewer reads differ from what
// is there; the console shows each as its \uXXXX escape (in JSON text, the same value).
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/gu;
function escaped(char) {
  let out = "";
  for (let i = 0; i < char.length; i++) out += "\\u" + char.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
  return out;
}
function visible(text) { return String(text).replace(HIDDEN, escaped); }
// JSON as the console shows and edits it: its line breaks are its layout, every hidden
// character inside a string is escaped.
function jsonText(value) {
  return JSON.stringify(value, null, 2).split("\n").map(visible).join("\n");
}

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = visible(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, visible(v));
  return node;
}

function say(message) { $("status").textContent = visible(message || ""); }
function fail(message) {
  $("error").textContent = visible(message || "");
  $("error").hidden = !message;
}

async function api(method, path, body) {
  const headers = { "Authorization": "Bearer " + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, credentials: "omit",
    body: body === undefined ? undefined : JSON.stringify(body) });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  if (response.status === 401) { signOut("Your sign-in is no longer valid: " + (data.error || "")); }
  if (!response.ok) { throw new Error(data.error || ("HTTP " + response.status)); }
  return data;
}

function show(view) {
  for (const id of ["sign-in-view", "queue-view", "item-view", "stats-view", "batch-view"]) {
    $(id).hidden = id !== view;
  }
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.me = null;
  $("whoami").hidden = true;
  show("sign-in-view");
  fail(message || "");
  $("token").focus();
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    state.me = await api("GET", "/review/me");
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    fail("Sign-in refused: " + e.message);
    return;
  }
  fail("");
  $("signed-in-as").textContent = "Signed in as " + state.me.reviewer_id +
    " (" + (state.me.groups.join(", ") || "no groups") + ")";
  $("whoami").hidden = false;
  await openQueue();
}

function age(seconds) {
  if (seconds < 60) return Math.round(seconds) + " s";
  if (seconds < 3600) return Math.round(seconds / 60) + " min";
  return (seconds / 3600).toFixed(1) + " h";
}

async function openQueue() {
  show("queue-view");
  const pulls = $("pull-buttons");
  pulls.replaceChildren(...state.me.groups.map((group) => {
    const button = el("button", "Pull from " + group, { type: "button", "data-group": group });
    button.addEventListener("click", () => pull(group));
    return button;
  }));
  let listing;
  try { listing = await api("GET", "/review/queue"); } catch (e) { fail(e.message); return; }
  const rows = listing.items.map((item) => {
    const row = el("tr", null, { "data-entry": item.entry_id });
    const open = el("button", item.entry_id, { type: "button", class: "link",
      "aria-label": "Open item " + item.entry_id });
    open.addEventListener("click", () => openItem(item.entry_id));
    const first = el("td"); first.append(open);
    if (item.second_review) first.append(el("div", "second review", { class: "help" }));
    if (item.escalated) {
      first.append(el("div", item.escalated_from ? "escalated from " + item.escalated_from
        : "escalated", { class: "help" }));
    }
    const waited = el("td", age(item.age_s) + " (target " + age(item.target_median_s) +
      ", p95 " + age(item.target_p95_s) + ")", { class: "wait-" + item.wait });
    row.append(first, el("td", item.group), waited,
      el("td", item.risk, { class: "risk-" + item.risk }),
      el("td", item.decision + ": " + item.why.join(", ")), el("td", item.agent_id),
      el("td", item.action),
      el("td", item.mine ? "mine until " + new Date(item.claim_expires_at).toLocaleTimeString()
        : "open"));
    return row;
  });
  $("queue-table").querySelector("tbody").replaceChildren(...rows);
  $("queue-empty").hidden = rows.length > 0;
  renderBatches(listing.items);
}

// Claimed low-risk first reviews of one agent's one action under the same rules.
function renderBatches(items) {
  const batches = new Map();
  for (const item of items) {
    if (!item.mine || item.risk !== "low" || item.second_review) continue;
    const key = JSON.stringify([item.agent_id, item.action, [...item.rule_ids].sort()]);
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key).push(item);
  }
  $("batches").replaceChildren(...[...batches.values()].filter((b) => b.length >= 2).map((b) => {
    const button = el("button", "Batch approve " + b.length + " items: " + b[0].agent_id + " " +
      b[0].action + " (" + (b[0].rule_ids.join(", ") || "no rule") + ")", { type: "button" });
    button.addEventListener("click", () => openBatch(b.map((i) => i.entry_id)));
    return button;
  }));
}

async function openBatch(ids) {
  fail(""); say("");
  let entries;
  try {
    entries = await Promise.all(ids.map((id) => api("GET", "/review/items/" + encodeURIComponent(id))));
  } catch (e) { fail(e.message); return; }
  state.batch = ids;
  show("batch-view");
  const first = entries[0].item;
  $("batch-title").textContent = visible("Batch approval: " + ids.length + " items of " +
    first.agent_id + " / " + first.action);
  $("batch-items").replaceChildren(...entries.map((entry) => {
    const box = el("fieldset", null, { class: "batch-item" });
    box.append(el("legend", "Item " + entry.entry_id));
    const pre = el("pre"); markPlaceholders(pre, entry.item.output); box.append(pre);
    findingRows(entry.item).forEach((f, i) => {
      const label = el("label", null, { class: "check" });
      label.append(el("input", null, { type: "checkbox", class: "batch-check" }),
        document.createTextNode(visible("Acknowledge " + entry.entry_id + " " + f.label(i) + f.detail)));
      box.append(label);
    });
    if (entry.item.findings_omitted) box.append(el("p", omittedNote(entry.item), { class: "help" }));
    const read = el("label", null, { class: "check" });
    read.append(el("input", null, { type: "checkbox", class: "batch-check" }),
      document.createTextNode("I have read item " + entry.entry_id));
    box.append(read);
    return box;
  }));
  for (const check of document.querySelectorAll(".batch-check")) {
    check.addEventListener("change", updateBatch);
  }
  $("batch-comment").value = "";
  updateBatch();
  $("batch-title").setAttribute("tabindex", "-1"); $("batch-title").focus();
}

function updateBatch() {
  const checks = [...document.querySelectorAll(".batch-check")];
  const left = checks.filter((c) => !c.checked).length;
  $("batch-approve").textContent = "Approve all " + state.batch.length;
  $("batch-approve").disabled = left > 0;
  $("batch-help").textContent = left > 0 ? left + " acknowledgements left before approving." : "";
}

async function approveBatch() {
  fail("");
  const body = { verdict: "approve", items: state.batch };
  const comment = $("batch-comment").value.trim();
  if (comment) body.comment = comment;
  try {
    const result = await api("POST", "/review/batch", body);
    say("approved " + result.approved.join(", ") + "; " + result.released + " released");
    state.batch = null;
    await openQueue();
  } catch (e) { fail("Refused: " + e.message); }
}

async function pull(group) {
  fail("");
  try {
    const result = await api("POST", "/review/pull", { group });
    say("Claimed " + result.claimed.length + " from " + group + "; you hold " +
      result.holding.length + " open." + (result.note ? " " + result.note : ""));
  } catch (e) { fail(e.message); }
  await openQueue();
}

function definitions(target, pairs) {
  $(target).replaceChildren(...pairs.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .flatMap(([k, v]) => [el("dt", k), el("dd", v)]));
}

function markPlaceholders(target, output) {
  // Placeholders ([REDACTED:EMAIL_ADDRESS], [CREDENTIAL], ...) are marked where they stand.
  const text = jsonText(output);
  const parts = text.split(/(\[[A-Z][A-Z0-9_]*(?::[A-Za-z0-9_:-]+)?\])/);
  target.replaceChildren(...parts.map((part, i) => (i % 2 ? el("mark", part) : document.createTextNode(part))));
}

function renderOutput(output) { markPlaceholders($("output"), output); }

async function openItem(entryId) {
  fail(""); say("");
  let entry;
  try { entry = await api("GET", "/review/items/" + encodeURIComponent(entryId)); }
  catch (e) { fail(e.message); return; }
  state.item = entry;
  state.acknowledged = new Set();
  const item = entry.item;
  show("item-view");
  $("item-title").textContent = visible("Item " + entry.entry_id + ": " + item.action);
  const notices = [];
  if (entry.second_review_of) {
    notices.push("Second review: " + (entry.first_reviewer || "another reviewer") +
      " approved this item; a different reviewer must confirm it before anything is released.");
  }
  const moved = entry.escalation;
  if (moved) {
    notices.push("Escalated from " + moved.from_group + " to " + entry.group + " by " +
      (moved.reason === "reviewer" ? moved.by : "the queue's clock") + " at " +
      new Date(moved.at).toLocaleString() + ": " + moved.why);
  } else if (entry.escalated) {
    notices.push("Escalated to " + entry.group + ".");
  }
  const withheld = item.output_withheld;  // set by the worker only; never read from `output`
  if (withheld) {
    notices.push("The output (" + withheld.record_bytes + " bytes) was too large to copy here: it is " +
      "the output of input record " + withheld.source.topic + "/" + withheld.source.partition + "/" +
      withheld.source.offset + ".");
  }
  if (entry.claimed_by !== state.me.reviewer_id) notices.push("You have not claimed this item: pull it before deciding.");
  $("release-claim").hidden = entry.claimed_by !== state.me.reviewer_id;
  $("item-notice").textContent = visible(notices.join(" "));
  $("item-notice").hidden = notices.length === 0;
  definitions("did", [["Agent", item.agent_id], ["Action", item.action], ["Tenant", item.tenant],
    ["Decided at", new Date(item.decided_at).toLocaleString()], ["Job", item.job_id],
    ["Trace", item.trace_id || "none given"], ["Policy", item.policy_snapshot]]);
  definitions("stake", [["Decision", item.decision],
    ["Amount", item.amount_usd === null ? null : "$" + item.amount_usd],
    ["Affected users", item.affected_users], ["Risk tags", item.risk_tags.join(", ") || "none"],
    ["Group", entry.group]]);
  const sampling = item.sampling;
  definitions("why", [["Rules", item.rule_ids.join(", ") || "none"],
    ["Reasons", item.reasons.join("; ")],
    ["Selected", sampling.mandatory_reasons.length ? "mandatory: " + sampling.mandatory_reasons.join(", ")
      : "sampled in stratum " + sampling.stratum + " (p = " + sampling.probability + ")"]]);
  renderOutput(item.output);
  const findings = findingRows(item).map((finding, i) => {
    const box = el("input", null, { type: "checkbox", id: "ack-" + i,
      "aria-label": "Acknowledge " + finding.label(i) });
    box.addEventListener("change", () => acknowledge(i, box.checked));
    const cell = el("td"); cell.append(box, el("span", " " + (i + 1), { "aria-hidden": "true" }));
    const row = el("tr", null, finding.count ? { class: "summarised" } : {});
    row.append(cell, ...finding.cells.map((text) => el("td", text)));
    return row;
  });
  $("findings").querySelector("tbody").replaceChildren(...findings);
  $("findings").hidden = findings.length === 0;
  $("no-findings").hidden = findings.length > 0;
  $("findings-omitted").textContent = omittedNote(item);
  $("findings-omitted").hidden = !item.findings_omitted;
  $("comment").value = ""; $("severity").value = "none";
  $("modified-output").value = jsonText(item.output);
  $("modify-editor").hidden = true;
  $("escalate").hidden = !entry.escalate_to;
  $("escalate").textContent = entry.escalate_to ? "Escalate to " + entry.escalate_to + " (e)" : "";
  // Release-raw: only where the policy allows it for this item (the API says so and checks
  // the verdict again); a separate step with its own comment and confirmation.
  $("release-raw").hidden = !entry.may_release_raw;
  $("release-raw-confirm").hidden = true;
  $("release-raw-comment").value = ""; $("release-raw-ack").checked = false;
  $("release-raw-legend").textContent = "Confirm: release the raw output of " + entry.entry_id;
  $("release-raw-submit").textContent = "Release raw output of " + entry.entry_id;
  updateApprove();
  $("item-title").setAttribute("tabindex", "-1"); $("item-title").focus();
  renderHistory(entry.entry_id);
}

async function renderHistory(entryId) {
  $("history").replaceChildren();
  let past;
  try { past = await api("GET", "/review/items/" + encodeURIComponent(entryId) + "/history"); }
  catch (e) { $("history-summary").textContent = "History unavailable: " + e.message; return; }
  const counts = Object.entries(past.counts).map(([k, v]) => v + " " + k).join(", ");
  const autonomy = past.autonomy
    ? " Autonomy level of " + (past.autonomy.identity || past.agent_id) +
      " (the writer of its source topic; the result claims " + past.agent_id + ") for " +
      past.autonomy.action_class + ": " +
      (past.autonomy.level === null ? "not scored yet (0: every result reviewed)" : past.autonomy.level) + "."
    : "";
  $("history-summary").textContent = visible((past.recent.length
    ? "Verdicts on " + past.agent_id + " / " + past.action + " in your groups: " + counts + "."
    : "No earlier verdicts on " + past.agent_id + " / " + past.action + " in your groups.") + autonomy);
  $("history").replaceChildren(...past.recent.map((v) => el("li",
    new Date(v.decided_at).toLocaleString() + ": " + v.verdict + " by " +
    (v.automatic ? "a timeout rule" : v.approver_id) + " (" + v.entry_id + "; rules " +
    (v.rule_ids.join(", ") || "none") + ")")));
}

const SVG = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = visible(text);
  return node;
}

// A horizontal bar chart: rows of [label, [{value, cls, text}...]], an optional target line.
function barChart(target, title, rows, max, targets) {
  const rowHeight = 22, labelWidth = 220, width = 860, barWidth = width - labelWidth - 120;
  const bars = rows.reduce((n, [, values]) => n + values.length, 0);
  const marks = (targets || []).length;
  const height = Math.max(40, bars * rowHeight + rows.length * 8 + 8 + 16 * marks);
  const svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
    "aria-label": title });
  svg.append(svgEl("title", {}, title));
  const scale = (v) => (max > 0 ? Math.min(v, max) / max : 0) * barWidth;
  let y = 4;
  for (const [label, values] of rows) {
    svg.append(svgEl("text", { x: 0, y: y + 15 }, label));
    for (const bar of values) {
      svg.append(svgEl("rect", { x: labelWidth, y, height: rowHeight - 4,
        width: Math.max(1, scale(bar.value)), class: bar.cls }));
      svg.append(svgEl("text", { x: labelWidth + scale(bar.value) + 6, y: y + 14 }, bar.text));
      y += rowHeight;
    }
    y += 8;
  }
  (targets || []).forEach((t, i) => {  // one line of text per target: labels never overlap
    const x = labelWidth + scale(t.value), textY = height - 4 - 16 * (marks - 1 - i);
    svg.append(svgEl("line", { x1: x, x2: x, y1: 0, y2: textY - 10, class: "target" }));
    svg.append(svgEl("text", { x: x + 3, y: textY }, t.text));
  });
  if (rows.length === 0) svg.append(svgEl("text", { x: 0, y: 20 }, "No data yet."));
  $(target).replaceChildren(svg);
}

async function openStats() {
  fail("");
  let stats;
  try { stats = await api("GET", "/review/stats"); } catch (e) { fail(e.message); return; }
  show("stats-view");
  const t = stats.targets;
  const groups = Object.entries(stats.groups);
  const longest = Math.max(t.p95_s, ...groups.map(([, g]) => g.wait_p95_s || 0)) * 1.1;
  barChart("chart-waits", "Wait per group: median and p95 against the targets",
    groups.map(([name, g]) => [name + " (" + g.open + " open of " + g.items + ")", [
      { value: g.wait_median_s || 0, cls: g.median_over_target ? "bar-over" : "bar-median",
        text: "median " + age(g.wait_median_s || 0) },
      { value: g.wait_p95_s || 0, cls: g.p95_over_target ? "bar-over" : "bar-p95",
        text: "p95 " + age(g.wait_p95_s || 0) }]]),
    longest, [{ value: t.median_s, text: "median target " + age(t.median_s) },
              { value: t.p95_s, text: "p95 target " + age(t.p95_s) }]);
  barChart("chart-rules", "Approval rate per rule",
    Object.entries(stats.rules).map(([rule, r]) => [rule, [{ value: r.approval_rate,
      cls: r.hint ? "bar-relax" : "bar-rate",
      text: Math.round(r.approval_rate * 100) + "% of " + r.verdicts + (r.hint ? ": candidate to relax" : "") }]]),
    1, []);
  barChart("chart-load", "Open items per reviewer against the limit",
    Object.entries(stats.open_per_reviewer).map(([who, n]) => [who, [{ value: n,
      cls: n >= stats.max_open_per_reviewer ? "bar-over" : "bar-median", text: n + " open" }]]),
    stats.max_open_per_reviewer, [{ value: stats.max_open_per_reviewer,
      text: "limit " + stats.max_open_per_reviewer }]);
  $("stats-title").setAttribute("tabindex", "-1"); $("stats-title").focus();
  let trend;
  try { trend = await api("GET", "/review/stats/trends"); } catch (e) { fail(e.message); return; }
  lineChart("chart-waits-over-time", "Waits per group over the last " + trend.hours + " hours",
    trend.waits, t);
  barChart("chart-verdicts", "Verdicts per reviewer in the last " + trend.hours + " hours",
    Object.entries(trend.verdicts_per_reviewer).map(([who, n]) => [who, [{ value: n,
      cls: "bar-median", text: n + " verdicts" }]]),
    Math.max(1, ...Object.values(trend.verdicts_per_reviewer)), []);
  const second = trend.second_review;
  barChart("chart-disagreement", "Second reviews that disagreed, by first reviewer",
    Object.entries(second.by_first_reviewer).map(([who, c]) => ["after " + who, [{
      value: c.disagreed / c.reviews, cls: c.disagreed ? "bar-over" : "bar-rate",
      text: c.disagreed + " of " + c.reviews + " disagreed" }]]), 1, []);
}

const SERIES_COLOURS = ["#0b4f9c", "#7a5200", "#1d6b2c", "#6b2d8f", "#a3141e", "#005f66"];

// Waits over time: one colour per group, median solid and p95 dashed, target lines.
function lineChart(target, title, series, targets) {
  const width = 860, height = 260, left = 60, right = 160, top = 10, bottom = 30;
  const groups = Object.entries(series);
  const hours = [...new Set(groups.flatMap(([, points]) => points.map((p) => p.hour)))].sort();
  const svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": title });
  svg.append(svgEl("title", {}, title));
  if (hours.length === 0) {
    svg.append(svgEl("text", { x: 0, y: 20 }, "No verdicts yet."));
    $(target).replaceChildren(svg);
    return;
  }
  const top95 = Math.max(targets.p95_s, ...groups.flatMap(([, ps]) => ps.map((p) => p.p95_s || 0))) * 1.1;
  const x = (hour) => left + (hours.length === 1 ? 0.5 : hours.indexOf(hour) / (hours.length - 1))
    * (width - left - right);
  const y = (s) => top + (1 - Math.min(s, top95) / top95) * (height - top - bottom);
  svg.append(svgEl("line", { x1: left, x2: left, y1: top, y2: height - bottom, class: "axis" }));
  svg.append(svgEl("line", { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: "axis" }));
  svg.append(svgEl("text", { x: 0, y: top + 10 }, age(top95)));
  svg.append(svgEl("text", { x: left, y: height - 8 }, new Date(hours[0]).toLocaleTimeString()));
  if (hours.length > 1) {
    svg.append(svgEl("text", { x: width - right - 70, y: height - 8 },
      new Date(hours[hours.length - 1]).toLocaleTimeString()));
  }
  for (const [name, value] of [["median target", targets.median_s], ["p95 target", targets.p95_s]]) {
    svg.append(svgEl("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "target" }));
    svg.append(svgEl("text", { x: width - right + 4, y: y(value) + 4 }, name + " " + age(value)));
  }
  groups.forEach(([group, points], i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    for (const [key, cls] of [["median_s", "line-median"], ["p95_s", "line-p95"]]) {
      const coords = points.map((p) => x(p.hour) + "," + y(p[key] || 0)).join(" ");
      svg.append(svgEl(points.length === 1 ? "circle" : "polyline", points.length === 1
        ? { cx: x(points[0].hour), cy: y(points[0][key] || 0), r: 4, fill: colour }
        : { points: coords, class: cls, stroke: colour }));
    }
    svg.append(svgEl("text", { x: width - right + 4, y: top + 40 + 16 * i, fill: colour }, group));
  });
  $(target).replaceChildren(svg);
}

// A review item lists its first findings; when there were more than its topic's records may
// itemise, `findings_omitted` counts the rest by entity, decision and path pattern. Each listed
// finding, and each group of the rest, is one row to acknowledge.
function findingRows(item) {
  const listed = item.findings.map((f) => ({
    cells: [f.entity, f.path, f.detector, f.rule_id],
    label: (i) => "finding " + (i + 1) + ": " + f.entity + " at " + f.path,
    detail: " (" + f.detector + ", " + f.rule_id + ")",
  }));
  const groups = item.findings_omitted ? item.findings_omitted.groups : [];
  return listed.concat(groups.map((g) => ({
    count: g.count,
    cells: [g.entity + " \u00d7 " + g.count, g.path === "*" ? "any path" : g.path,
      "not listed", "decided " + g.action],
    label: (i) => "row " + (i + 1) + ": " + g.count + " more " + g.entity + " findings at " +
      (g.path === "*" ? "any path" : g.path),
    detail: " (not listed, decided " + g.action + ")",
  })));
}

function omittedNote(item) {
  const cut = item.findings_omitted;
  if (!cut) return "";
  return "This result has " + (cut.itemised + cut.omitted) + " findings: the first " + cut.itemised +
    " are listed, the other " + cut.omitted + " are counted by entity and path in the rows marked " +
    "\u00d7 (a review item holds only so many).";
}

function acknowledge(index, checked) {
  if (checked) state.acknowledged.add(index); else state.acknowledged.delete(index);
  updateApprove();
}

function updateApprove() {
  const total = state.item ? findingRows(state.item.item).length : 0;
  const left = total - state.acknowledged.size;
  $("approve").disabled = left > 0;
  $("approve-help").textContent = left > 0
    ? "Approve is available once all " + total + " findings are acknowledged (" + left + " left)."
    : "";
  $("release-raw-open").disabled = left > 0;
  $("release-raw-help").textContent = left > 0
    ? "Acknowledge every finding first (" + left + " left)." : "";
  if (left > 0) $("release-raw-confirm").hidden = true;
  $("release-raw-submit").disabled = left > 0 || !$("release-raw-ack").checked;
}

function openReleaseRaw() {
  fail("");
  $("release-raw-confirm").hidden = false;
  $("release-raw-comment").focus();
}

async function releaseRaw() {
  fail("");
  const comment = $("release-raw-comment").value.trim();
  if (!comment) {
    fail("A comment is required to release the raw output: say why.");
    $("release-raw-comment").focus();
    return;
  }
  if (!$("release-raw-ack").checked) return;
  const id = state.item.entry_id;
  try {
    const result = await api("POST", "/review/items/" + encodeURIComponent(id) + "/verdict",
      { verdict: "release_raw", comment, severity: $("severity").value });
    say("release_raw recorded for " + id +
      (result.released ? "; the raw output was released" : ""));
    state.item = null;
    await openQueue();
  } catch (e) { fail("Refused: " + e.message); }
}

async function decide(verdict) {
  fail("");
  const body = { verdict, severity: $("severity").value };
  const comment = $("comment").value.trim();
  if (comment) body.comment = comment;
  if (verdict === "modify" && $("modify-editor").hidden) {
    $("modify-editor").hidden = false; $("modified-output").focus();
    say("Edit the output, give a comment, then choose Modify again to submit it.");
    return;
  }
  if ((verdict === "reject" || verdict === "modify") && !comment) {
    fail("A comment is required to " + verdict + ".");
    $("comment").focus();
    return;
  }
  if (verdict === "approve" && $("approve").disabled) return;
  if (verdict === "modify") {
    try { body.modified_output = JSON.parse($("modified-output").value); }
    catch (e) { fail("The edited output is not JSON: " + e.message); return; }
  }
  try {
    const result = await api("POST", "/review/items/" + encodeURIComponent(state.item.entry_id) + "/verdict", body);
    say(verdict + " recorded for " + state.item.entry_id +
      (result.released ? "; the quarantined result was released" : "") +
      (result.second_review ? "; sampled for a second review" : ""));
    state.item = null;
    await openQueue();
  } catch (e) { fail("Refused: " + e.message); }
}

async function escalate() {
  fail("");
  if (!state.item || !state.item.escalate_to) return;
  const comment = $("comment").value.trim();
  if (!comment) {
    fail("A comment is required to escalate: say why the item needs " + state.item.escalate_to + ".");
    $("comment").focus();
    return;
  }
  const id = state.item.entry_id;
  try {
    const moved = await api("POST", "/review/items/" + encodeURIComponent(id) + "/escalate", { comment });
    say("Escalated " + id + " to " + moved.group + ".");
    state.item = null;
    await openQueue();
  } catch (e) { fail("Refused: " + e.message); }
}

async function releaseClaim() {
  fail("");
  try {
    await api("POST", "/review/items/" + encodeURIComponent(state.item.entry_id) + "/release", {});
    say("Released your claim on " + state.item.entry_id + ": it is open to your group again.");
    state.item = null;
    await openQueue();
  } catch (e) { fail("Refused: " + e.message); }
}

function onKey(event) {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "Escape" && !$("item-view").hidden) { openQueue(); return; }
  if (typing || event.ctrlKey || event.metaKey || event.altKey || $("item-view").hidden) return;
  if (event.key === "a") { decide("approve"); }
  else if (event.key === "r") { decide("reject"); }
  else if (event.key === "m") { decide("modify"); }
  else if (event.key === "e" && !$("escalate").hidden) { escalate(); }
  else if (/^[1-9]$/.test(event.key)) {
    const box = $("ack-" + (Number(event.key) - 1));
    if (box) { box.checked = !box.checked; acknowledge(Number(event.key) - 1, box.checked); }
  } else { return; }
  event.preventDefault();
}

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("token").value.trim();
    $("token").value = "";
    signIn(token);
  });
  $("sign-out").addEventListener("click", async () => {
    // the service refuses an OIDC token from now on; an API token stays valid (revoke it)
    try { await api("POST", "/review/sign-out", {}); } catch (e) { /* signed out here anyway */ }
    signOut("Signed out.");
  });
  $("show-queue").addEventListener("click", openQueue);
  $("show-stats").addEventListener("click", openStats);
  $("refresh").addEventListener("click", openQueue);
  $("back").addEventListener("click", openQueue);
  $("release-claim").addEventListener("click", releaseClaim);
  $("batch-back").addEventListener("click", openQueue);
  $("batch-approve").addEventListener("click", approveBatch);
  $("approve").addEventListener("click", () => decide("approve"));
  $("reject").addEventListener("click", () => decide("reject"));
  $("modify").addEventListener("click", () => decide("modify"));
  $("escalate").addEventListener("click", escalate);
  $("release-raw-open").addEventListener("click", openReleaseRaw);
  $("release-raw-cancel").addEventListener("click", () => {
    $("release-raw-confirm").hidden = true; $("release-raw-ack").checked = false;
    updateApprove(); $("release-raw-open").focus();
  });
  $("release-raw-ack").addEventListener("change", updateApprove);
  $("release-raw-submit").addEventListener("click", releaseRaw);
  document.addEventListener("keydown", onKey);
  const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
  $("oidc-sign-in").hidden = meta("afterguard-oidc-login") !== "yes";
  const handed = meta("afterguard-signed-in");  // the ID token of an OIDC sign-in just made
  if (handed) history.replaceState(null, "", "/");
  const token = handed || sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token); else signOut("");
});
