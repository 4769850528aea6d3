// What the page calls a tensor, as the graphs' labels do (app/render.py): the snippet's name for it, else the
// source expression that made it (the Run's `expr`, `X @ W`), else the op that made it; never an internal id.

export function nameOf(index, tensor) {
  if (tensor.var) return tensor.var;
  if (tensor.expr) return tensor.expr;
  const op = index.producer.get(tensor.id);
  if (op) return op.module ? `${op.module} → ${op.op}` : `${op.op}(…)`;
  return tensor.requires_grad ? "leaf" : "constant";
}

// How the code wrote an op that stopped tracking (a cut, an op run under torch.no_grad(), one with no gradient).
// Given the graphs' index, a call that took the values out (`.item()`) is written on the tensor it took them from.
const CUT_WRITTEN = {
  data: ".data",
  detach: ".detach()",
  detach_: ".detach_()",
  tensor: "torch.tensor()",
  new_tensor: ".new_tensor()",
  Parameter: "nn.Parameter()",
  requires_grad_: "requires_grad=False",
};
export function cutWritten(op, index) {
  if (takenOut(op)) {
    const from = index ? index.forward.get((index.inputs.get(op.id) || [])[0]) : null;
    return `${from ? nameOf(index, from) : ""}.${op.op}()`;
  }
  if (noGradInside(op, index)) return `${op.inside}() → torch.no_grad()`;
  if (op.no_grad) return op.inference ? "torch.inference_mode()" : "torch.no_grad()";
  const written = CUT_WRITTEN[op.op] || `${op.op}()`;
  // (a library call's own cut: `online.state_dict()` detaches each tensor it returns, `copy.deepcopy(model)` and
  // `prune.remove` go through .data; "by .detach()" and "by .data" were said of code that wrote neither)
  // (`target.requires_grad_(False)`: the module's method of the op's own name, as the code wrote it)
  return op.inside && op.inside !== op.op ? `${op.inside}() → ${written}` : written;
}

// Whether an op ran under no_grad that a library call turned on, not the snippet: made inside a call (`s = d.sample()`:
// Distribution.sample() computes under torch.no_grad()) on a line the code's own grad mode did not turn off. The page
// said "Created under no_grad" and "cut off by torch.no_grad()" of code that never wrote one.
const GRAD_MODE_WRITTEN = /\b(?:no_grad|inference_mode|set_grad_enabled)\b/;
export function noGradInside(op, index) {
  return Boolean(op && op.no_grad && !op.inference && op.inside && index && !gradModeWrittenAt(index.run.code || "", op.line));
}

// Whether the code's own grad mode may be off on `line`: the code writes one (torch.no_grad, inference_mode,
// set_grad_enabled) on that line, in a `with` block or decorator around it, or where it cannot tell: a statement that
// is no `with` or decorator (`torch.set_grad_enabled(False)`), or a line in a function, which a caller's block may
// run. A top-level line outside every such block runs with gradients on: a DQN's `target.load_state_dict(
// online.state_dict())` in a snippet whose targets are computed under `with torch.no_grad():` was said to be cut
// by a torch.no_grad() of the code's, where load_state_dict() computes under its own.
const GRAD_MODE_BLOCK = /^\s*(?:with\b|async\s+with\b|@)/;
const FUNCTION_HEADER = /^\s*(?:async\s+def|def|class)\b/;
let writtenFor = { code: null, lines: null, written: false, anywhere: false };
function gradModeWrittenAt(code, line) {
  if (writtenFor.code !== code) {
    const lines = code.split("\n").map((text) => text.replace(/#.*/, "")); // (a comment's "no_grad" turns nothing off)
    const written = lines.some((text) => GRAD_MODE_WRITTEN.test(text));
    // (a statement, or a context manager of the code's own, a generator's `yield` or a class's `__enter__`, which
    // may turn gradients off around any line that uses it)
    const anywhere = lines.some((text) => (GRAD_MODE_WRITTEN.test(text) && !GRAD_MODE_BLOCK.test(text)) || /\byield\b|\b__enter__\b/.test(text));
    writtenFor = { code, lines, written, anywhere };
  }
  const { lines, written, anywhere } = writtenFor;
  if (!written) return false;
  if (anywhere || !Number.isInteger(line) || line < 1 || line > lines.length) return true;
  const indent = (text) => text.length - text.trimStart().length;
  const statement = (text) => text.trim() !== "";
  if (GRAD_MODE_WRITTEN.test(lines[line - 1])) return true;
  let level = indent(lines[line - 1]);
  for (let i = line - 2; i >= 0 && level > 0; i -= 1) {
    const text = lines[i];
    if (!statement(text) || indent(text) >= level) continue;
    level = indent(text); // (the header of the block the line is in, then its own header, out to the top level)
    if (FUNCTION_HEADER.test(text) || GRAD_MODE_WRITTEN.test(text)) return true;
  }
  return false;
}

// What app/capture/summary.py's FUNCTORCH says of a tensor a torch.func transform wrapped: its values exist only
// inside the transform.
export const FUNCTORCH_WRAPPER = "a torch.func wrapper: its values exist only inside the transform";

// Whether `tensor`, a non-leaf no op of the forward graph made, is what a torch.func transform called on its line
// returned: the transform wrapped tensors on that line (`preds = vmap(fmodel, ...)(params, buffers, x)`), and it was
// said to be a gradient a backward pass computed with create_graph=True, in a snippet that called only backward().
export function madeByTransform(index, tensor) {
  if (!tensor || tensor.is_leaf || !tensor.grad_fn || index.producer.get(tensor.id)) return false;
  for (const other of index.forward.values()) {
    if (other.kind === "tensor" && other.line === tensor.line && (other.value || {}).unreadable === FUNCTORCH_WRAPPER) return true;
  }
  return false;
}

// Whether an op of the forward graph is a call that took a tensor's values out of it as Python's or NumPy's, drawn
// where the code made a tensor of what it returned (`torch.tensor(s.item())`; app/expression.py's TAKEN_OUT).
const TAKEN_OUT_OPS = new Set(["item", "tolist", "numpy"]);
export const takenOut = (op) => Boolean(op && op.kind === "op" && TAKEN_OUT_OPS.has(op.op));

// Where a tensor that needs no gradient was cut off, looking back through what made it (the nearest op that is a cut
// or ran under no_grad, within CUT_SEARCH ops): {op, line, how, out}, or null (a constant the code made as one). `out`:
// the cut is a call that took the values out (`s.item()`), which the words say as such.
const CUT_SEARCH = 64;
export function cutUpstream(index, node) {
  const seen = new Set();
  const queue = [node.id];
  for (let i = 0; i < queue.length && seen.size < CUT_SEARCH && i < CUT_SEARCH * 16; i += 1) {
    const op = index.producer.get(queue[i]);
    if (!op || seen.has(op.id)) continue;
    seen.add(op.id);
    // (an in-place change under no_grad that cut nothing, to a tensor already cut off, is not where: the mean
    // teacher's `param.detach_()`, then `teacher.load_state_dict(...)`, which copies under no_grad: what the teacher
    // made was said to be cut off by that torch.no_grad(), where .detach_() had cut its parameters)
    const changedOnly = op.no_grad && op.cut === false && changedInPlace(index, op, index.forward.get(queue[i]));
    // (a frozen parameter, `p.requires_grad_(False)`, is told apart: nothing was cut off, the tensor needs no gradient)
    const kind = takenOut(op) ? { out: true } : op.op === "requires_grad_" ? { frozen: true } : {};
    if (!changedOnly && (op.cut || op.no_grad || takenOut(op))) return { op, line: op.line ?? "?", how: cutWritten(op, index), ...kind };
    for (const id of index.inputs.get(op.id) || []) {
      const input = index.forward.get(id);
      if (input && !input.requires_grad) queue.push(id);
    }
  }
  return null;
}

// Whether `tensor` is a later version of a tensor `op` took in: the op changed it in place (`w.copy_(v)`).
function changedInPlace(index, op, tensor) {
  if (!tensor || !(tensor.version > 0)) return false;
  return (index.inputs.get(op.id) || []).some((id) => {
    const input = index.forward.get(id);
    if (!input || input === tensor || !(input.version < tensor.version)) return false;
    return tensor.grad_accumulator ? input.grad_accumulator === tensor.grad_accumulator : Boolean(tensor.var) && input.var === tensor.var;
  });
}

// Whether a tensor is made, through ops, from one the code made on its own line with no op (`b = torch.tensor(
// x.numpy()) * 2`: torch.tensor's leaf), which the values a call on that line took out of a graph may be. A tensor
// made only from ones of other lines (`w.grad.norm()` on a line that also reads `total.item()`) is not: it was said
// to be made from total.item()'s values.
export function madeOnItsLine(index, node) {
  const queue = [node.id];
  for (let i = 0; i < queue.length && i < CUT_SEARCH * 16; i += 1) {
    const tensor = index.forward.get(queue[i]);
    const op = index.producer.get(queue[i]);
    const inputs = op ? index.inputs.get(op.id) || [] : [];
    if (!inputs.length && tensor && tensor.line === node.line) return true; // (no op, or a factory: `torch.full(2, k)`)
    for (const id of inputs) if (!queue.includes(id)) queue.push(id);
  }
  return false;
}

const LINE_SEARCHED_CHARS = 1000; // a longer line is not searched for a call that took values out of the graph
// The calls that take a tensor's values out as Python's or NumPy's (`.detach().numpy()`, `.item()`), as a pattern's
// source, for each pattern that looks for them.
export const TAKEN_OUT = String.raw`(?:\.(?:detach|cpu)\(\))*\.(?:item|tolist|numpy)\(\)`;
// A call on line `line` that takes a tensor's values out of the graph (`x.detach().numpy()`, `loss.item()`): {line,
// how}, or null. Only a tensor the run knows by that name counts: `torch.tensor(df.values.tolist())` takes a pandas
// frame's values, which were never in a graph.
const VALUES_OUT = new RegExp(String.raw`(?<![\w.])([A-Za-z_][\w.]*)(\[[^\]\n]{0,40}\])?(${TAKEN_OUT})`, "g");
const tensorNames = new WeakMap(); // index -> the names of its forward graph's tensors
export function valuesOutOn(index, line) {
  const run = index.run;
  if (typeof run.code !== "string" || !Number.isInteger(line)) return null;
  const text = (run.code.split("\n")[line - 1] || "").replace(/#.*/, "");
  if (text.length > LINE_SEARCHED_CHARS) return null; // (a forged run's line: the search backtracks on each start)
  if (!tensorNames.has(index)) tensorNames.set(index, new Set([...index.forward.values()].filter((n) => n.kind === "tensor" && n.var).map((n) => n.var)));
  const names = tensorNames.get(index);
  for (const found of text.matchAll(VALUES_OUT)) {
    if (names.has(found[1])) return { line, how: found[0] };
  }
  return null;
}
