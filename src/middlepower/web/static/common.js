// Shared helpers of the dashboard: API access, number formats, source tooltips, TopoJSON
// decoding, the Natural Earth I and equirectangular projections, small SVG charts. No external libraries.
"use strict";

const MP = {};

MP.api = async function (path, params) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail));
  return body;
};

MP.fmt = function (value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (typeof value !== "number") return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e12) return (value / 1e12).toFixed(2) + " tn";
  if (abs >= 1e9) return (value / 1e9).toFixed(2) + " bn";
  if (abs >= 1e6) return (value / 1e6).toFixed(2) + " m";
  if (abs > 0 && abs < 1 && digits === undefined) return Number(value.toPrecision(3)).toString();
  const d = digits === undefined ? 2 : digits;
  return MP.round(value, d).toLocaleString("en-US", { maximumFractionDigits: d });
};

// value rounded to `digits` decimals as the command line's Python formatting rounds: on the exact
// value of the double (2.675 is 2.67499..., so 2.67), and an exact tie to even (12.5 -> 12, 0.25 -> 0.2).
MP.round = function (value, digits) {
  const away = Number(value.toFixed(digits));  // toFixed rounds the exact value; a tie goes away from zero
  const exact = Math.abs(value).toFixed(100);  // every digit of a double of the dashboard's magnitudes
  const point = exact.indexOf(".");
  const tie = point > 0 && exact[point + 1 + digits] === "5" && /^0*$/.test(exact.slice(point + 2 + digits));
  if (!tie) return away;
  const last = Number(exact[digits === 0 ? point - 1 : point + digits]);
  return last % 2 === 0 ? Math.sign(value) * Number(exact.slice(0, digits === 0 ? point : point + 1 + digits)) : away;
};

// A signed quantity (a power gap, in standard deviations) as the command line prints it: `digits`
// decimals with an explicit sign, as Python's "{:+.2f}" ("+0.74", "-0.05", "-0.00"), "—" when missing.
MP.signed = function (value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const d = digits === undefined ? 2 : digits;
  return (value < 0 ? "-" : "+") + MP.round(Math.abs(value), d).toFixed(d);
};

MP.pct = (p) => (p === null || p === undefined ? "—" : MP.fmt(p * 100, 0) + " %");

// A tier as a coloured badge; a state-year with too few real capability inputs has none, and says so.
MP.tierBadge = function (tier) {
  if (!tier) return MP.el("span", { class: "tier none", "data-tip": "no tier: fewer than half of the capability inputs are real data (docs/power.md)" }, "no tier");
  return MP.el("span", { class: "tier " + tier }, tier);
};

// " (carried, imputed)" when some input behind a figure is carried from an older year or imputed, else "".
MP.vintageFlags = function (row) {
  const flags = [row.carried ? "carried" : null, row.imputed ? "imputed" : null].filter(Boolean);
  return flags.length ? " (" + flags.join(", ") + ")" : "";
};

// How old the data behind a figure is: "real to <oldest year of real data>", flagged when inputs are
// carried from an older year or imputed (the details in the tooltip). row: data_year, carried, imputed;
// short: the year alone, for a column headed "real data to".
MP.vintage = function (row, short) {
  const year = row.data_year, detail = [];
  if (row.carried) detail.push("carried: " + row.carried.replace(/_/g, " "));
  if (row.imputed) detail.push("imputed: " + row.imputed.replace(/_/g, " "));
  const text = year === null || year === undefined ? "—" : (short ? "" : "real to ") + year, flags = MP.vintageFlags(row);
  return MP.el("span", { class: detail.length ? "vintage old" : "vintage", "data-year": year,
    "data-tip": detail.length ? detail.join("; ") : (year === null || year === undefined ? null : "every input real data") },
    text, flags ? MP.el("span", { class: "flags" }, flags) : null);
};

MP.el = function (tag, attrs, ...children) {
  const svgTags = ["svg", "path", "rect", "line", "text", "g", "circle", "polyline", "polygon", "title"];
  const node = svgTags.includes(tag) ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, v);
  for (const child of children.flat()) if (child !== null && child !== undefined)
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  return node;
};

// ---- sources on hover: any element with data-source="<registry name or text>" -------------
MP.sources = {};
MP.loadSources = async function () {
  const body = await MP.api("/api/sources");
  for (const s of body.rows) MP.sources[s.source] = s;
};
MP.describeSource = function (name) {
  // Figures name a registry source, or several joined by ", " (the column catalogue's sources).
  const names = String(name).split(", ");
  if (names.length > 1) return names.map(MP.describeSource).join("<br><br>");
  const s = MP.sources[name];
  if (!s) return "<b>Source</b>: " + MP.escape(name);
  return "<b>" + MP.escape(s.title) + "</b><br>" + MP.escape(s.citation) + "<br><i>Licence: " + MP.escape(s.licence) + "</i>";
};
MP.escape = (t) => String(t).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
MP.installTooltip = function () {
  const tip = MP.el("div", { id: "tooltip" });
  document.body.appendChild(tip);
  document.addEventListener("mousemove", (event) => {
    const target = event.target.closest ? event.target.closest("[data-source],[data-tip]") : null;
    if (!target) { tip.style.display = "none"; return; }
    const tipText = target.getAttribute("data-tip");
    const source = target.getAttribute("data-source");
    tip.innerHTML = (tipText ? MP.escape(tipText) + (source ? "<br>" : "") : "") + (source ? MP.describeSource(source) : "");
    tip.style.display = "block";
    tip.style.left = Math.max(0, Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 4)) + "px";
    tip.style.top = event.clientY + 14 + "px";
  });
};

// ---- TopoJSON -> rings of [lon, lat] -------------------------------------------------------
MP.decodeArcs = function (topology) {
  const [sx, sy] = topology.transform ? topology.transform.scale : [1, 1];
  const [tx, ty] = topology.transform ? topology.transform.translate : [0, 0];
  return topology.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
};
MP.ringPoints = function (ring, arcs) {
  const points = [];
  ring.forEach((index, i) => {
    const arc = index >= 0 ? arcs[index] : arcs[~index].slice().reverse();
    points.push(...(i === 0 ? arc : arc.slice(1)));
  });
  // Unwrap longitudes so a ring crossing the antimeridian stays continuous (the map clips it).
  for (let i = 1; i < points.length; i++) {
    let lon = points[i][0];
    while (lon - points[i - 1][0] > 180) lon -= 360;
    while (lon - points[i - 1][0] < -180) lon += 360;
    points[i] = [lon, points[i][1]];
  }
  return points;
};
MP.features = function (topology, objectName) {
  const arcs = MP.decodeArcs(topology);
  return topology.objects[objectName].geometries.map((g) => {
    const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    return { id: g.id, name: g.properties.name, rings: polygons.flatMap((p) => p.map((r) => MP.ringPoints(r, arcs))) };
  });
};

// Equirectangular projection of a lon/lat box onto a width x height SVG.
MP.projection = function (box, width) {
  const [lon0, lat0, lon1, lat1] = box;
  const k = width / (lon1 - lon0);
  const height = (lat1 - lat0) * k;
  return { width, height, project: ([lon, lat]) => [(lon - lon0) * k, (lat1 - lat) * k] };
};
// Natural Earth I projection (Šavrič, Jenny, Patterson and Jenny 2011: polynomials in latitude) of the
// world centred on lon0, latitudes latMin..latMax, onto an SVG of the given width.
MP.naturalEarth = function (width, lon0, latMin, latMax) {
  const rad = Math.PI / 180;
  const xy = (lon, lat) => {
    const phi = lat * rad, p2 = phi * phi, p4 = p2 * p2;
    const l = 0.8707 - 0.131979 * p2 - 0.013791 * p4 + p4 * p4 * p2 * (0.003971 - 0.001529 * p2);
    const d = 1.007226 + 0.015085 * p2 + p4 * p2 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4);
    return [l * (lon - lon0) * rad, d * phi];
  };
  const half = xy(lon0 + 180, 0)[0], top = xy(0, latMax)[1], bottom = xy(0, latMin)[1];
  const k = width / (2 * half);
  return { width, height: (top - bottom) * k, project: ([lon, lat]) => { const [x, y] = xy(lon, lat); return [(x + half) * k, (top - y) * k]; } };
};

MP.pathData = function (rings, projection) {
  return rings.map((ring) => "M" + ring.map((p) => projection.project(p).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("");
};

// ---- colours ----------------------------------------------------------------------------
MP.tierColour = { great: "#7b2d8e", middle: "#e08a1e", small: "#9fb7cf" };
MP.ramp = function (t) {  // 0..1 -> light blue .. dark blue
  const a = [234, 242, 250], b = [16, 62, 122];
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * Math.max(0, Math.min(1, t))));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
};

// ---- small charts -----------------------------------------------------------------------
// Horizontal interval bar: value with [lo, hi] on a 0..max scale.
MP.intervalBar = function (value, lo, hi, max, tip, source) {
  const w = 160, h = 14, x = (v) => (Math.max(0, Math.min(max, v)) / max) * w;
  const svg = MP.el("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: "ibar", "data-tip": tip, "data-source": source });
  svg.appendChild(MP.el("rect", { x: 0, y: 6, width: w, height: 2, fill: "#e3e7ec" }));
  if (lo !== null && hi !== null) svg.appendChild(MP.el("rect", { x: x(lo), y: 3, width: Math.max(1.5, x(hi) - x(lo)), height: 8, fill: "#9cc3e6", rx: 2 }));
  if (value !== null) svg.appendChild(MP.el("rect", { x: x(value) - 1.5, y: 0, width: 3, height: 14, fill: "#1f6fb2" }));
  return svg;
};

// Stacked bar of tier probabilities.
MP.tierBar = function (row) {
  const w = 120, h = 12;
  const svg = MP.el("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`,
    "data-tip": `P(great) ${MP.pct(row.p_great)} · P(middle) ${MP.pct(row.p_middle)} · P(small) ${MP.pct(row.p_small)}` });
  let x = 0;
  for (const t of ["great", "middle", "small"]) {
    const p = row["p_" + t] || 0;
    svg.appendChild(MP.el("rect", { x, y: 0, width: p * w, height: h, fill: MP.tierColour[t] }));
    x += p * w;
  }
  return svg;
};

// Line chart over years: series = [{label, colour, points: [[year, value, lo, hi]]}].
MP.lineChart = function (series, opts) {
  // On a phone the drawing is narrower, so that its 10-unit labels stay about 10 px on screen.
  const narrow = window.innerWidth < 600, W0 = opts.width || 520, H0 = opts.height || 220;
  const W = narrow ? Math.min(W0, 360) : W0, H = narrow ? Math.round(H0 * Math.max(0.75, W / W0)) : H0;
  const m = { l: 40, r: 18, t: 10, b: 24 };
  const all = series.flatMap((s) => s.points).filter((p) => p[1] !== null);
  const svg = MP.el("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", class: "chart", "data-source": opts.source });
  if (!all.length) { svg.appendChild(MP.el("text", { x: 10, y: 20, fill: "#5e6b7a" }, "no data")); return svg; }
  const years = all.map((p) => p[0]);
  const y0 = opts.min !== undefined ? opts.min : Math.min(...all.map((p) => (p[2] !== null && p[2] !== undefined ? p[2] : p[1])));
  const y1 = opts.max !== undefined ? opts.max : Math.max(...all.map((p) => (p[3] !== null && p[3] !== undefined ? p[3] : p[1])));
  const x0 = Math.min(...years), x1 = Math.max(...years, x0 + 1);
  const X = (v) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v) => H - m.b - ((v - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  for (const t of [y0, (y0 + y1) / 2, y1]) {
    svg.appendChild(MP.el("line", { x1: m.l, x2: W - m.r, y1: Y(t), y2: Y(t), stroke: "#e3e7ec" }));
    svg.appendChild(MP.el("text", { x: m.l - 4, y: Y(t) + 4, "text-anchor": "end", "font-size": 10, fill: "#5e6b7a" }, MP.fmt(t, 1)));
  }
  for (const t of [x0, Math.round((x0 + x1) / 2), x1])
    svg.appendChild(MP.el("text", { x: X(t), y: H - 6, "text-anchor": "middle", "font-size": 10, fill: "#5e6b7a" }, t));
  if (opts.zero && y0 < 0 && y1 > 0) svg.appendChild(MP.el("line", { x1: m.l, x2: W - m.r, y1: Y(0), y2: Y(0), stroke: "#5e6b7a", "stroke-dasharray": "3 3" }));
  for (const s of series) {
    const pts = s.points.filter((p) => p[1] !== null);
    const band = pts.filter((p) => p[2] !== null && p[2] !== undefined && p[3] !== null && p[3] !== undefined);
    if (band.length > 1) {
      const d = band.map((p) => `${X(p[0])},${Y(p[3])}`).concat(band.slice().reverse().map((p) => `${X(p[0])},${Y(p[2])}`));
      svg.appendChild(MP.el("polygon", { points: d.join(" "), fill: s.colour, opacity: 0.18 }));
    }
    if (pts.length) svg.appendChild(MP.el("polyline", { points: pts.map((p) => `${X(p[0])},${Y(p[1])}`).join(" "), fill: "none", stroke: s.colour, "stroke-width": 2 }));
  }
  // Hover targets: one circle per point, its tooltip the value and, where known, its 90 % interval.
  const digits = opts.digits === undefined ? 2 : opts.digits;
  for (const s of series) for (const p of s.points.filter((q) => q[1] !== null)) {
    const band = p[2] !== null && p[2] !== undefined && p[3] !== null && p[3] !== undefined;
    const tip = `${s.label ? s.label + ", " : ""}${p[0]}: ${MP.fmt(p[1], digits)}` +
      (band ? ` (90 % interval ${MP.fmt(p[2], digits)} to ${MP.fmt(p[3], digits)})` : "") + (p[4] ? `; ${p[4]}` : "");
    svg.appendChild(MP.el("circle", { class: "hit", cx: X(p[0]), cy: Y(p[1]), r: 5, style: `color:${s.colour}`,
      "data-tip": tip, "data-year": p[0], "data-value": p[1], "data-lo": band ? p[2] : null, "data-hi": band ? p[3] : null }));
  }
  return svg;
};

MP.legend = function (items) {
  return MP.el("div", { class: "legend" }, items.map(([label, colour]) => MP.el("span", {}, MP.el("span", { class: "swatch", style: `background:${colour}` }), label)));
};

// Graded colour scale: a value in lo..hi falls in one of `steps` equal classes, each drawn in one colour, so
// the map shows exactly the classes its legend lists. label(a, b) writes a class's bounds.
MP.STEPS = 5;
MP.classes = function (lo, hi, steps, label) {
  const width = (hi - lo) / steps || 1;
  const index = (v) => Math.max(0, Math.min(steps - 1, Math.floor((v - lo) / width)));
  const colourOf = (i) => MP.ramp((i + 0.5) / steps);
  return {
    colour: (v) => colourOf(index(v)),
    legend: Array.from({ length: steps }, (_, i) => [label(lo + i * width, lo + (i + 1) * width), colourOf(i)]),
  };
};
MP.stepLegend = function (items, note) {
  const box = MP.legend(items);
  box.classList.add("steps");
  if (note) box.appendChild(MP.el("span", { class: "legend-note" }, "(" + note + ")"));
  return box;
};

// The search box on every page: names of every state as suggestions (the form works without them).
MP.fillSearch = async function () {
  const list = document.getElementById("country-names");
  if (!list || list.childElementCount) return;
  try {
    const body = await MP.api("/api/countries");
    list.replaceChildren(...body.rows.map((r) => MP.el("option", { value: r.name }, r.iso3)));
  } catch (error) { /* suggestions only: the search itself is answered by the server */ }
};
document.addEventListener("DOMContentLoaded", MP.fillSearch);

MP.start = async function (main) {
  MP.installTooltip();
  try { await MP.loadSources(); await main(); }
  catch (error) { document.querySelector("main").appendChild(MP.el("p", { class: "error" }, String(error.message || error))); }
};
