// The live view: asks this silo for every group once a second and redraws. A request that does not answer within
// RequestTimeoutMs is abandoned (the silo bounds its own answer too), so a dead silo shows as an error, never a hang.
"use strict";
const PollMs = 1000;
const RequestTimeoutMs = 5000;

const text = (value) => (value === null || value === undefined ? "–" : String(value));
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(text(c)));
  return node;
};
const svg = (tag, attrs = {}, ...children) => {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(text(c)));
  return node;
};
const time = (iso) => new Date(iso).toLocaleTimeString();

function ring(group) {
  const size = 300, center = size / 2, radius = 105;
  const root = svg("svg", { class: "ring", width: size, height: size, viewBox: `0 0 ${size} ${size}` });
  root.append(svg("circle", { cx: center, cy: center, r: radius, fill: "none", stroke: "#dde3ee", "stroke-width": 2 }));
  group.peers.forEach((peer, i) => {
    const angle = (2 * Math.PI * i) / group.peers.length - Math.PI / 2;
    const x = center + radius * Math.cos(angle), y = center + radius * Math.sin(angle);
    const role = peer.reachable ? peer.role : "unreachable";
    root.append(svg("circle", { class: `peer role-${role}`, cx: x, cy: y, r: 30, "data-peer": peer.peer }));
    root.append(svg("text", { x, y: y - 4 }, peer.peer));
    root.append(svg("text", { x, y: y + 10 }, peer.reachable ? `${peer.role} t${peer.term}` : "unreachable"));
    root.append(svg("text", { x, y: y + 44, fill: "#56607a" }, `${text(peer.node)} · commit ${peer.reachable ? peer.commit : "–"}`));
  });
  root.append(svg("text", { x: center, y: center - 6, "font-weight": 600 }, group.leader ? `leader ${group.leader}` : "no leader"));
  root.append(svg("text", { x: center, y: center + 10 }, `term ${group.term}`));
  return root;
}

function peerTable(group) {
  const head = el("tr", {}, ...["peer", "node", "role", "term", "vote", "leader", "commit", "applied", "first", "last", "quiet"].map((h) => el("th", {}, h)));
  const rows = group.peers.map((p) => p.reachable
    ? el("tr", { "data-peer": p.peer }, el("td", {}, p.peer), el("td", {}, p.node), el("td", {}, p.role), el("td", {}, p.term),
        el("td", {}, p.vote), el("td", {}, p.leader), el("td", {}, p.commit), el("td", {}, p.applied), el("td", {}, p.firstIndex), el("td", {}, p.lastIndex),
        el("td", {}, p.quiet ? "yes" : ""))
    : el("tr", { class: "unreachable", "data-peer": p.peer }, el("td", {}, p.peer), el("td", {}, p.node), el("td", { colspan: 9 }, `unreachable: ${p.error}`)));
  return el("table", { class: "peers" }, head, ...rows);
}

function followerTable(group) {
  if (group.followers.length === 0) return el("p", { class: "muted" }, "no leader: no replication progress to show");
  const head = el("tr", {}, ...["follower", "node", "match", "next", "lag", "responsive"].map((h) => el("th", {}, h)));
  return el("table", { class: "followers" }, head, ...group.followers.map((f) =>
    el("tr", {}, el("td", {}, f.peer), el("td", {}, f.node), el("td", {}, f.match), el("td", {}, f.next), el("td", {}, f.lag), el("td", {}, f.responsive ? "yes" : "no"))));
}

function rateChart(group) {
  const width = 420, height = 60, rates = group.commitRate;
  const last = rates.length ? rates[rates.length - 1].perSecond : 0;
  const max = Math.max(1, ...rates.map((r) => r.perSecond));
  const points = rates.map((r, i) => `${(i / Math.max(1, rates.length - 1)) * width},${height - (r.perSecond / max) * (height - 4) - 2}`).join(" ");
  const chart = svg("svg", { class: "rate", width, height }, svg("polyline", { points }));
  return el("div", {}, el("h3", {}, `commits/s: ${last} now, peak ${max === 1 && last < 1 ? 0 : max} over the last ${rates.length} s`), chart);
}

function events(group) {
  if (group.events.length === 0) return el("p", { class: "muted" }, "no elections seen by this silo's peers yet");
  return el("ol", { class: "events" }, ...group.events.map((e) =>
    el("li", {}, `${time(e.at)} ${e.kind === "leader" ? `${e.peer} follows leader ${e.leader}` : `${e.peer} starts an election`} (term ${e.term})`)));
}

function render(view) {
  document.getElementById("silo").textContent = `silo ${view.node}`;
  document.getElementById("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
  const main = document.getElementById("groups");
  main.replaceChildren(...view.groups.map((group) => el("section", { class: "group", id: `group-${group.group}`, "data-health": group.health },
    el("h2", {}, `group ${group.group}`, el("span", { class: `health ${group.health}` }, group.health),
      el("span", { class: "leader", id: `leader-${group.group}`, "data-term": group.term }, group.leader ?? "no leader")),
    ring(group),
    el("div", {}, peerTable(group), el("h3", {}, "replication (from the leader)"), followerTable(group), rateChart(group),
      el("h3", {}, "recent elections and leaders"), events(group)))));
}

async function poll() {
  const error = document.getElementById("error");
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), RequestTimeoutMs);
  try {
    const response = await fetch("/api/groups", { signal: abort.signal, cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
    error.hidden = true;
  } catch (e) {
    error.textContent = `this silo did not answer (${e.name === "AbortError" ? "timed out" : e.message}); showing the last view`;
    error.hidden = false;
  } finally {
    clearTimeout(timer);
    setTimeout(poll, PollMs);
  }
}
poll();
