// A Run's graphs as Graphviz DOT, drawn the way app/render.py draws the server's exports: records in
// micrograd's manner (name, shape, data, grad), torchviz's colours, dashed cuts. Each returns
// `{source, ids}`: the DOT, and the run's node ids in the order the DOT names them (see write()). Element ids
// carry a pane prefix so both pictures can live in one page.

export const COLOURS = {
  leaf: "lightblue",
  output: "darkolivegreen1",
  saved: "orange",
  cut: "gray90",
  plain: "white",
  group: "lavender",
};
const FONT = "Helvetica,Noto Sans CJK KR,sans-serif";

export function formatNumber(value) {
  if (typeof value !== "number") return String(value); // "nan", "inf", booleans
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  if (value === 0) return "0";
  // Python's "{:.5g}": five significant digits, exponent form outside 1e-4 .. 1e5
  const exponent = Number(value.toExponential(4).split("e")[1]);
  if (exponent < -4 || exponent >= 5) {
    const [mantissa, exp] = value.toExponential(4).split("e");
    const sign = exp.startsWith("-") ? "-" : "+";
    const digits = exp.replace(/^[+-]/, "").padStart(2, "0");
    return `${trimZeros(mantissa)}e${sign}${digits}`;
  }
  return trimZeros(value.toPrecision(5));
}

function trimZeros(text) {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function values(data) {
  return Array.isArray(data) ? `[${data.map(values).join(", ")}]` : formatNumber(data);
}

// A short text for a label: the values when they fit, else shape and statistics.
export function formatSummary(summary, width = 40) {
  if (!summary) return "None";
  if (summary.data === null || summary.data === undefined) return summary.shape.join("×") || "scalar";
  const text = values(summary.data);
  if (!summary.truncated && text.length <= width) return text;
  if (summary.truncated) {
    return `min ${formatNumber(summary.min)} max ${formatNumber(summary.max)} mean ${formatNumber(summary.mean)}`;
  }
  return `${text.slice(0, width - 1)}…`;
}

// DOT is quoted here and nowhere else: every node id and attribute value goes through quote() (a record label as
// a Record of fields). Inside a DOT string the parser only knows \", but Graphviz then reads labels again: \\,
// \n, \l, \N, \G as escapes, &...; as HTML entities and, in records, { } | < > as structure. Escaping \, ",
// & and those five makes every character stand for itself, so text from a run (an op name a snippet chose, a
// var) can neither end the string nor add an attribute (URL=, image=, href=) nor change a record's shape.
// Control characters become spaces. The same rules as app/render.py's _quote.
function escape(text) {
  return String(text)
    .replace(/[\x00-\x1f\x7f]/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/[\\"{}|<>]/g, (c) => `\\${c}`);
}

class Record {
  constructor(fields) {
    this.fields = fields;
  }
}

function quote(value) {
  if (value instanceof Record) return `"{${value.fields.map(escape).join("|")}}"`;
  return `"${escape(value)}"`;
}

function attrs(map) {
  return Object.entries(map)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(" ");
}

function shapeText(shape) {
  return `(${shape.join(", ")})`;
}

export function tensorLabel(node) {
  const fields = [node.var || node.id, `${shapeText(node.shape)} ${node.dtype}`, `data ${formatSummary(node.value)}`];
  if (node.requires_grad || node.grad) fields.push(`grad ${formatSummary(node.grad)}`);
  return new Record(fields);
}

// A saved tensor's value: its own, or, for a forward tensor, that node's (null for other saved values).
export function savedValue(saved, tensors) {
  return saved.tensor && tensors.has(saved.tensor) ? tensors.get(saved.tensor).value : saved.value;
}

export function gradFnLabel(node, tensors) {
  const tensor = node.tensor ? tensors.get(node.tensor) : null;
  const fields = [node.name + (tensor && tensor.var ? ` (${tensor.var})` : "")];
  if (node.order !== null && node.order !== undefined) fields.push(`#${node.order + 1}`);
  for (const g of node.grad_out) fields.push(`grad ${formatSummary(g)}`);
  for (const s of node.saved || []) {
    const value = savedValue(s, tensors);
    if (value) fields.push(`saved ${s.name}: ${formatSummary(value)}`);
  }
  return new Record(fields);
}

// A folded group (repeated blocks or a module): what it holds and how many nodes; a click opens it.
function groupAttrs(node) {
  const label = new Record([node.label, `${node.members.length} nodes`]);
  return { label, shape: "record", style: "filled,bold", fillcolor: COLOURS.group };
}

function header() {
  return [
    "digraph {",
    `  graph [rankdir=TB fontname=${quote(FONT)}]`,
    `  node [fontname=${quote(FONT)} fontsize=11]`,
    `  edge [fontname=${quote(FONT)} fontsize=9]`,
  ];
}

// A node with more than SHARED_USES edges on its busy side (a weight every step of an unrolled loop reads, the
// AccumulateGrad all those steps send to) is drawn once per edge: Graphviz lays a chain out in a moment, but
// hundreds of long edges into one node take it minutes.
const SHARED_USES = 4;

// The DOT of `nodes` ([id, attrs]) and `edges`, and the run's node ids in the order they were written. A node
// is named in the DOT by its position (`n<i>`, copies of a shared node `n<i>~<k>`), never by the run's id: the
// picture's elements are `<prefix><i>` with the class `n-<i>` (all copies), and pane.js maps them back through
// `ids`. An edge to a node the graph does not have is left out.
function write(nodes, edges, prefix, busy) {
  const position = new Map(nodes.map(([id], i) => [id, i]));
  const uses = new Map();
  for (const edge of edges) uses.set(edge[busy], (uses.get(edge[busy]) || 0) + 1);
  const shared = (id) => (uses.get(id) || 0) > SHARED_USES;
  const lines = header();
  nodes.forEach(([id, nodeAttrs], i) => {
    const copies = shared(id) ? uses.get(id) : 0;
    for (let k = 0; k < Math.max(copies, 1); k++) {
      const key = copies ? `${i}~${k}` : `${i}`;
      lines.push(`  ${quote(`n${key}`)} [${attrs({ id: prefix + key, class: `n-${i}`, ...nodeAttrs })}]`);
    }
  });
  const next = new Map();
  const other = busy === "source" ? "target" : "source";
  for (const edge of edges) {
    if (!position.has(edge.source) || !position.has(edge.target)) continue;
    const ends = { source: `${position.get(edge.source)}`, target: `${position.get(edge.target)}` };
    if (shared(edge[busy])) {
      const k = next.get(edge[busy]) || 0;
      next.set(edge[busy], k + 1);
      ends[busy] += `~${k}`;
    }
    if (shared(edge[other])) ends[other] += "~0";
    lines.push(`  ${quote(`n${ends.source}`)} -> ${quote(`n${ends.target}`)} [${attrs(edge.attrs)}]`);
  }
  lines.push("}");
  return { source: lines.join("\n"), ids: nodes.map(([id]) => id) };
}

// Forward: tensors as records, operations as ellipses, edges input -> op -> output.
export function forwardDot(run, prefix = "f-") {
  const graph = run.forward;
  const consumed = new Set(graph.edges.map((e) => e.source));
  const cutOps = new Set(graph.nodes.filter((n) => n.kind === "op" && n.cut).map((n) => n.id));
  const nodes = graph.nodes.map((node) => {
    if (node.kind === "group") return [node.id, groupAttrs(node)];
    if (node.kind === "op") {
      const style = node.cut || node.no_grad ? "dashed,filled" : "filled";
      return [node.id, { label: node.op, shape: "ellipse", style, fillcolor: node.cut ? COLOURS.cut : COLOURS.plain }];
    }
    let fill = COLOURS.plain;
    if (!node.requires_grad) fill = COLOURS.cut;
    else if (node.is_leaf) fill = COLOURS.leaf;
    else if (!consumed.has(node.id)) fill = COLOURS.output;
    return [node.id, { label: tensorLabel(node), shape: "record", style: "filled", fillcolor: fill }];
  });
  const edges = graph.edges.map((edge) => {
    const dashed = cutOps.has(edge.source) || cutOps.has(edge.target);
    return { ...edge, attrs: { style: dashed ? "dashed" : "solid" } };
  });
  return write(nodes, edges, prefix, "source");
}

// Backward: autograd nodes as records, edges the way gradients flow, labelled with the gradient.
export function backwardDot(run, prefix = "b-") {
  const graph = run.backward;
  const tensors = new Map(run.forward.nodes.filter((n) => n.kind === "tensor").map((n) => [n.id, n]));
  const targets = new Set(graph.edges.map((e) => e.target));
  const nodes = graph.nodes.map((node) => {
    if (node.kind === "group") return [node.id, groupAttrs(node)];
    let fill = COLOURS.plain;
    if (node.name === "AccumulateGrad") fill = COLOURS.leaf;
    else if (!targets.has(node.id)) fill = COLOURS.output;
    else if ((node.saved || []).some((s) => savedValue(s, tensors))) fill = COLOURS.saved;
    return [node.id, { label: gradFnLabel(node, tensors), shape: "record", style: "filled", fillcolor: fill }];
  });
  const edges = graph.edges.map((edge) => ({
    ...edge,
    attrs: { label: edge.grad ? formatSummary(edge.grad, 24) : "", style: edge.grad ? "solid" : "dashed" },
  }));
  return write(nodes, edges, prefix, "target");
}
