// API page: the OpenAPI document rendered as one card per route (served locally; no Swagger UI CDN).
"use strict";

function schemaText(schema) {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(schemaText).filter((t) => t !== "null").join(" or ");
  const bounds = [schema.minimum !== undefined ? `≥ ${schema.minimum}` : null, schema.maximum !== undefined ? `≤ ${schema.maximum}` : null,
    schema.maxLength !== undefined ? `≤ ${schema.maxLength} chars` : null].filter(Boolean).join(", ");
  return (schema.type || "") + (bounds ? ` (${bounds})` : "");
}

async function main() {
  const spec = await MP.api("/api/openapi.json");
  document.querySelector(".lede").prepend(MP.el("span", {}, `${spec.info.title} ${spec.info.version}. `));
  const box = document.getElementById("routes");
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters || []).map((p) => MP.el("tr", {},
        MP.el("td", {}, MP.el("code", {}, p.name)), MP.el("td", {}, p.in), MP.el("td", {}, p.required ? "required" : "optional"),
        MP.el("td", {}, schemaText(p.schema)), MP.el("td", {}, p.description || (p.schema && p.schema.description) || "")));
      box.appendChild(MP.el("div", { class: "card route" },
        MP.el("h2", {}, MP.el("code", {}, `${method.toUpperCase()} ${path}`)),
        MP.el("p", {}, op.summary || ""), op.description ? MP.el("p", { class: "note" }, op.description) : null,
        params.length ? MP.el("table", {}, MP.el("thead", {}, MP.el("tr", {}, ["name", "in", "", "type", "description"].map((h) => MP.el("th", {}, h)))), MP.el("tbody", {}, params)) : null));
    }
  }
}

MP.start(main);
