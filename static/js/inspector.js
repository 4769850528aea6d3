// What the inspector shows for one node of either graph, and how the two graphs of a Run point at each other.

import { el } from "./dom.js";
import { builtByBackwardText, checkView, explanationView, formulaView, nodeTitle, numbersCode, startText, tensorOf, unrun, whichInput } from "./explain.js";
import { formatNumber, formatSummary, formatValues, sumText } from "./format.js";
import { language, t } from "./i18n.js";
import { TAKEN_OUT, cutUpstream, cutWritten, madeByTransform, madeOnItsLine, nameOf, noGradInside, takenOut, valuesOutOn } from "./names.js";
import { runIn, runsOf, stoppedBeforeBackward, tensorsOfStep } from "./stepper.js";

// Lookups over a Run: nodes by id, each tensor's producing op, who saved what, and the links between panes.
export function indexRun(run) {
  const forward = new Map(run.forward.nodes.map((n) => [n.id, n]));
  const backward = new Map(run.backward.nodes.map((n) => [n.id, n]));
  const producer = new Map();
  const inputs = new Map();
  const outputs = new Map();
  const push = (map, key, value) => (map.get(key) || map.set(key, []).get(key)).push(value);
  for (const edge of run.forward.edges) {
    const source = forward.get(edge.source);
    if (!source) continue;
    if (source.kind === "op") {
      producer.set(edge.target, source);
      push(outputs, edge.source, edge.target);
    } else {
      push(inputs, edge.target, edge.source);
    }
  }
  const savedBy = new Map();
  for (const node of run.backward.nodes) {
    for (const saved of node.saved || []) if (saved.tensor) push(savedBy, saved.tensor, { node, name: saved.name });
  }
  // forward id -> backward ids, backward id -> forward ids: what hovering one pane lights up in the other
  const toBackward = new Map();
  const toForward = new Map();
  const link = (f, b) => {
    if (!forward.has(f) || !backward.has(b)) return;
    push(toBackward, f, b);
    push(toForward, b, f);
  };
  for (const node of run.forward.nodes) {
    if (node.kind !== "tensor") continue;
    if (node.grad_fn) link(node.id, node.grad_fn);
    if (node.grad_accumulator) link(node.id, node.grad_accumulator);
    const op = producer.get(node.id);
    if (op && node.grad_fn && !op.unchanged) link(op.id, node.grad_fn); // (a dropout that changed nothing made none)
  }
  for (const node of run.forward.nodes) if (node.kind === "group") link(node.id, node.id); // folded in both panes
  for (const [b, op] of insideOps(run, backward, producer)) link(op, b);
  return { run, forward, backward, producer, inputs, outputs, savedBy, toBackward, toForward };
}

// Backward nodes torch made inside one forward op (no tensor of their own: F.linear's TBackward0, cross_entropy's
// LogSoftmaxBackward0, an RNN cell's additions, reshape's copy), each with that op's id: the op whose output's
// backward node the gradient reached them from, when every way from the output leads to the same op. A step on such
// a node lit nothing in the forward graph, and its `y = a + b` spoke of values the learner could not find.
export function insideOps(run, backward, producer) {
  const parents = new Map();
  for (const edge of run.backward.edges) {
    (parents.get(edge.target) || parents.set(edge.target, []).get(edge.target)).push(edge.source);
  }
  const owner = new Map(); // backward id -> op id, or null (none, or several)
  const ownerOf = (id) => {
    const node = backward.get(id);
    if (node && node.tensor) return (producer.get(node.tensor) || {}).id || null;
    return owner.get(id);
  };
  for (const start of backward.keys()) {
    if (owner.has(start) || (backward.get(start) || {}).tensor) continue;
    const stack = [start]; // (iterative: an unrolled chain of such nodes is deep)
    const expanded = new Set();
    while (stack.length) {
      const id = stack[stack.length - 1];
      if (owner.has(id)) {
        stack.pop();
        continue;
      }
      const waiting = (parents.get(id) || []).filter((p) => ownerOf(p) === undefined);
      if (waiting.length && !expanded.has(id)) {
        expanded.add(id); // (once: a forged run's cycle leaves its nodes without an op)
        for (const parent of waiting) stack.push(parent); // (not push(...waiting): 150,000 edges into one node overflowed the call)
        continue;
      }
      stack.pop();
      const found = new Set((parents.get(id) || []).map((p) => ownerOf(p) ?? null));
      const node = backward.get(id);
      owner.set(id, found.size === 1 && node && node.name !== "AccumulateGrad" ? [...found][0] : null);
    }
  }
  return [...owner].filter(([, op]) => op);
}

// Plain-language notes on a forward tensor, an op, or a backward node.
export function notes(index, node) {
  const said = [];
  if (node.kind === "tensor") {
    const op = index.producer.get(node.id);
    const seedLine = backwardSeedLine(index.run, node);
    if (seedLine !== null) said.push(t("note_backward_seed", { name: node.var, line: seedLine }));
    const base = viewChangedWith(index, op, node);
    if (base) said.push(t("note_view_changed", { op: op.op, line: op.line ?? "?", base: nameOf(index, base), grad_fn: index.backward.get(node.grad_fn).name }));
    // (a parameter an optimizer's step changed in place: "Created under no_grad" was said of model.fc1.weight)
    else if (op && op.no_grad && /\.step$/.test(op.op) && node.is_leaf) said.push(t("note_stepped", { step: `${op.op}()`, line: op.line ?? "?" }));
    // (a custom autograd.Function's output: its forward() runs under no_grad, and `apply` gave it its backward node;
    // "Created under no_grad: no graph was recorded" was said of the docs' `y = Exp.apply(x)`)
    else if (op && op.no_grad && node.grad_fn && !keepsInputGradFn(index, op, node)) {
      const made = index.backward.get(node.grad_fn);
      const grad_fn = made ? made.name : "grad_fn";
      // (one torch's own code applied: a module's full backward hook wraps its inputs and outputs in one)
      if (!Number.isInteger(node.forward_line)) said.push(t("note_function_output_inside", { grad_fn }));
      else said.push(t("note_function_output", { line: node.line ?? "?", forward_line: node.forward_line, grad_fn }));
    }
    // (`w -= lr * w.grad` in a hand-written step, an EMA's `lerp_`: "Created under no_grad" was said of w)
    // (a library call of the line's that ran it, `nn.init.xavier_uniform_(w)` running `uniform_` under no_grad: named)
    else if (changedUnderNoGrad(index, op, node)) {
      said.push(t("note_changed_no_grad", { op: op.inside ? `${op.inside}() → ${op.op}` : op.op, line: op.line ?? "?", how: cutWritten(op) }));
    }
    // (`@torch.inference_mode()`'s result was said to be made under no_grad: it is an inference tensor, which an op
    // recording a graph cannot save for backward)
    else if (noGradInside(op, index)) said.push(t("note_no_grad_inside", { call: `${op.inside}()`, line: op.line ?? "?" }));
    else if (op && op.no_grad) said.push(t(op.inference ? "note_inference" : "note_no_grad"));
    else if (op && op.cut && op.op === "detach" && !op.inside) said.push(t("note_detach")); // (a library's: cut by it, below)
    // (`torch.tensor(s.item())`: drawn made by the call that took the values out, said as note_cut_here's "cut by")
    else if (takenOut(op)) {
      const key = node.requires_grad ? "note_made_from_values_out_leaf" : "note_made_from_values_out";
      said.push(t(key, { line: node.line ?? "?", how: cutWritten(op, index) }));
    }
    // (`b = torch.tensor(x * 2)`, `e = h.data`: it was said only not to require grad, the cut drawn above it unsaid)
    else if (op && op.cut && !node.requires_grad) {
      // (`p.requires_grad_(False)`, a frozen parameter: the same tensor, backward going on past it, unlike a copy's cut)
      const key = op.op === "requires_grad_" ? "note_frozen_here" : "note_cut_here";
      said.push(t(key, { line: op.line ?? "?", how: cutWritten(op) }));
    }
    else if (!node.requires_grad) {
      const cut = cutUpstream(index, node); // (`b = a.detach() * 2`: b is made from what was cut off on that line)
      const out = !cut && seedLine === null && madeOnItsLine(index, node) ? valuesOutOn(index, node.line) : null; // (`torch.tensor(x.numpy())`)
      if (cut && cut.op !== op && cut.out) said.push(t("note_made_from_values_out", { ...cut, line: node.line ?? "?" }));
      // (`merged = layer(x)` with the layer's parameters frozen: it was said to be made from a tensor "cut off from the graph")
      else if (cut && cut.op !== op) said.push(t(cut.frozen ? "note_made_from_frozen" : "note_made_from_cut", cut));
      else if (out) said.push(t("note_made_from_values_out", out));
      else if (seedLine === null) said.push(t("note_constant")); // (a backward call's gradient says it itself)
    }
    else if (node.is_leaf) said.push(t("note_leaf"));
    else if (node.grad && node.retains_grad) said.push(t(keptByInputs(index.run) ? "note_nonleaf_inputs" : "note_nonleaf_retained")); // (h.grad is kept)
    else said.push(t(node.grad ? "note_nonleaf" : "note_nonleaf_no_grad")); // (no "the gradient shown here")
    // (higher-order's dy_dx: drawn alone in the forward graph, with nothing said of where it came from; a custom
    // Function's output that forward() changed in place and returned, `ctx.mark_dirty(x)`, drawn made by the
    // Function's op on the apply line, `Double.apply`, was said to be such a gradient, then nothing at all)
    if ((!op || !op.no_grad) && !node.is_leaf && node.grad_fn && Number.isInteger(node.forward_line)) {
      const made = index.backward.get(node.grad_fn);
      said.push(t("note_function_output", { line: node.line ?? "?", forward_line: node.forward_line, grad_fn: made ? made.name : "grad_fn" }));
    }
    else if (madeByTransform(index, node)) {
      const made = index.backward.get(node.grad_fn);
      said.push(t("note_made_by_transform", { line: node.line ?? "?", grad_fn: made ? made.name : "grad_fn" }));
    }
    else if (!op && !node.is_leaf && node.grad_fn && (index.run.backward_calls || []).length) {
      const made = index.backward.get(node.grad_fn);
      said.push(t("note_made_by_backward", { grad_fn: made ? nodeTitle(index, made) : "grad_fn" }));
    }
    if (node.is_leaf && node.grad && laterVersion(index, node)) {
      const clipped = clipping(index.run); // (the step read the clipped .grad, not the one shown here)
      said.push(clipped.line ? t("note_older_version_grad_clipped", clipped) : t("note_older_version_grad"));
    }
    else if (node.is_leaf && node.grad) {
      const changed = gradChangedAfter(index, node);
      if (changed) said.push(t(changed.line ? "note_grad_changed_by" : "note_grad_changed", changed));
    }
    const pass = node.grad && (index.run.backward_passes || 1) > 1 ? passOfGradient(index, node) : null;
    if (pass) said.push(t("note_grad_of_pass", { pass }));
    // (a non-leaf whose backward node is not drawn, in a run that recorded only some passes: made in one of the others)
    const unrecorded = !node.is_leaf && !node.grad_fn && Number.isInteger(index.run.recorded_passes);
    if (node.grad && unrecorded) said.push(t("note_unrecorded_pass_grad"));
    if (node.requires_grad && !node.grad) {
      if (laterVersionWithGrad(index, node)) said.push(t("note_older_version"));
      else if (unrecorded) said.push(t("note_unrecorded_pass"));
      else if (!index.run.backward_passes) said.push(noBackward(index.run, "note_no_backward", "note_no_backward_stopped"));
      else {
        // (its node ran and got only None: "not used to compute what backward() was called on" was said of it)
        const sender = sentNone(index, node);
        // (its AccumulateGrad ran and got a gradient: the code emptied .grad since, zero_grad() after step())
        const own = node.is_leaf && index.backward.get(node.grad_accumulator);
        const emptied = !sender && own && runsOf(own).length > 0;
        const cut = !sender && !emptied && cutDownstream(index, node);
        const raised = !sender && !cut && raisedIn(index.run); // (a pass that raised: what comes after its node never ran)
        said.push(
          sender
            ? t("note_unreached_not_sent", { node: nodeTitle(index, sender) })
            : emptied
              ? t("note_grad_emptied")
              : cut
              ? t(cut.out ? "note_unreached_values_out" : cut.frozen ? "note_unreached_frozen" : "note_unreached_cut", cut)
              : raised
                ? t("note_unreached_stopped", { pass: raised.raised_in_pass, node: nodeTitle(index, raised) })
                : notFilledNote(index, node) || lateNote(index, node) || unreachedNote(index, node),
        );
      }
    }
    if (node.version > 0 && !initialisedInPlace(index, node)) said.push(t("note_version", { n: node.version }));
  } else if (node.kind === "op") {
    if (/\.step$/.test(node.op)) said.push(t("note_op_step")); // (`Adam.step`: a torch op's name has no dot)
    else if (node.no_grad) said.push(t("note_op_no_grad"));
    else if (takenOut(node)) said.push(t("note_op_taken_out", { how: cutWritten(node, index), line: node.line ?? "?" }));
    else if (node.cut) said.push(t("note_op_cut"));
    if (node.cut || node.no_grad) said.push(...lostAt(index, node));
    else if (node.unchanged) said.push(t("note_op_unchanged")); // (nn.Dropout after model.eval(): said nowhere)
  } else {
    said.push(node.name === "AccumulateGrad" ? t("note_accumulate") : t("note_backward_node"));
    const built = builtByBackwardText(index, node);
    if (built) said.push(built);
    // (no backward pass at all: nothing was cut, backward() is still to be called)
    // (a node a pass raised in was reached: it says so itself, stopped_in)
    // (its formulas, shown under it, are what it would compute: said here once, not again at the end of its words)
    const formulas = Boolean(node.explain && (node.explain.inputs || []).length);
    if (unrun(node)) said.push(index.run.backward_passes ? t(formulas ? "note_not_run_formulas" : "note_not_run") : noBackward(index.run, "note_not_run_no_backward", "note_not_run_stopped"));
  }
  return said;
}

// The line where a named tensor is passed to a backward call as the gradient it starts from (`y.backward(gradient)`,
// `.backward(gradient=g)`, `torch.autograd.backward(y, grad_tensors=g)`), or null: the tutorial's vector example drew
// `gradient` alone, a constant "whose gradient is not computed", and said nothing of what it was for.
export function backwardSeedLine(run, node) {
  if (!node.var || !/^[A-Za-z_]\w*$/.test(node.var) || typeof run.code !== "string" || !run.backward_passes) return null;
  // (one way only to read each run of spaces: `\\s*\\[?\\s*` read 20,000 spaces in seconds)
  const passed = new RegExp(`(?:\\.backward\\(\\s*(?:gradient\\s*=\\s*)?|grad_tensors\\s*=\\s*(?:\\[\\s*)?)${node.var}\\s*[,)\\]]`);
  const lines = run.code.split("\n");
  const at = lines.findIndex((line, i) => i + 1 >= (node.line || 0) && passed.test(line.replace(/#.*/, "")));
  return at < 0 ? null : at + 1;
}

// Why no gradient reached a leaf an op used before the code set its requires_grad (`y = w * x`, then
// `w.requires_grad_()`): it was said "not used to compute what backward() was called on". Null for any other.
function lateNote(index, node) {
  const late = node.is_leaf ? usedBeforeRequiresGrad(index, [node], null) : null;
  return late ? t("note_unreached_late", { op: late.used.op, line: late.used.line, set: late.set }) : null;
}

// Whether a non-leaf's .grad was kept by a backward(inputs=[h]) call, not by the code's .retain_grad(): torch retains the
// gradient of a non-leaf named in inputs= (`y.backward(inputs=[h])`: h was said to have had .retain_grad() called on
// it, which the code never wrote). Only where the code calls .retain_grad() nowhere.
function keptByInputs(run) {
  const given = run.backward_inputs_given || [];
  const calls = run.backward_calls || [];
  const named = calls.some((call, i) => call === "backward" && given[i]);
  return named && typeof run.code === "string" && !/\.retain_grad\s*\(/.test(run.code);
}

// Why a leaf the passes' graphs lead to has no .grad, no cut on its way and no pass raised: each pass whose graph leads
// to its AccumulateGrad was a torch.autograd.grad() call (it returns its gradients, and fills no .grad), or a
// backward(inputs=...) that left it out. Null for any other. (Both were said "not used to compute what backward() was
// called on": `torch.autograd.grad(z, [x, y])`'s x and y, and `loss.backward(inputs=[dec.weight])`'s enc.bias.)
function notFilledNote(index, node) {
  const own = node.is_leaf && index.backward.get(node.grad_accumulator);
  if (!own) return null;
  const calls = index.run.backward_calls || [];
  const given = index.run.backward_inputs_given || [];
  // the nodes the passes started from, by how they fill .grad (one walk each: a run may hold thousands of passes)
  const roots = { returned: [], chosen: [], filled: [] };
  for (const start of index.run.backward.nodes) {
    for (const ran of runsOf(start)) {
      if (ran.order !== 0 && !ran.seed) continue;
      const call = calls[ran.backward_pass - 1];
      roots[call === "grad" ? "returned" : call === "backward" && given[ran.backward_pass - 1] ? "chosen" : "filled"].push(start.id);
    }
  }
  const leadsTo = (ids) => ids.length > 0 && backwardReached(index.run, ids).has(own.id);
  if (leadsTo(roots.filled)) return null;
  return leadsTo(roots.chosen) ? t("note_unreached_not_chosen") : leadsTo(roots.returned) ? t("note_unreached_returned") : null;
}

// Why no gradient reached a tensor backward could have reached: the code took its values out of the graph, or it was
// not used to compute what backward() ran from.
function unreachedNote(index, node) {
  const out = valuesOut(index.run, node);
  if (out) return t("note_unreached_values_out", out);
  const made = valuesOutMadeFrom(index, node);
  return made ? t("note_unreached_values_out_made", made) : t("note_unreached");
}

// Where the code took out of the graph the values of a named tensor made from `node` (`model.weight`, whose `out =
// model(x)` went on as `out.detach().numpy()` into a loss of its own): {name, line, how}, or null. The weight was said
// "not used to compute what backward() was called on", where `out` said the values were taken out. (A bounded walk:
// the first UNREACHED_SEARCH tensors made from it.)
const UNREACHED_SEARCH = 256;
function valuesOutMadeFrom(index, node) {
  const users = new Map(); // tensor id -> the ops it went into
  for (const [op, ins] of index.inputs) for (const id of ins) (users.get(id) || users.set(id, []).get(id)).push(op);
  const seen = new Set([node.id]);
  const queue = [node.id];
  for (let i = 0; i < queue.length && i < UNREACHED_SEARCH; i += 1) {
    const tensor = index.forward.get(queue[i]);
    const out = i > 0 && tensor && tensor.var !== node.var ? valuesOut(index.run, tensor) : null;
    if (out) return { ...out, name: tensor.var };
    for (const op of users.get(queue[i]) || []) {
      for (const id of index.outputs.get(op) || []) {
        if (seen.has(id)) continue;
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return null;
}

// Where the code took a named tensor's values out of the graph (`k = m.item()`, `m.tolist()`, `m.detach().numpy()`,
// `float(m)`, `np.array(m.detach())`) on its line or after: {line, how}, or null. What it computed from them is not connected to the tensor,
// and the page said it "was not used to compute what backward() was called on".
export function valuesOut(run, node) {
  if (!node.var || typeof run.code !== "string" || node.var.length > 80) return null;
  const name = node.var.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const method = new RegExp(`(?<![\\w.])${name}(${TAKEN_OUT})`);
  // (`float(m)`, and NumPy's copies of it: `np.array(m.detach())`, `numpy.asarray(m.cpu().detach())`)
  const builtin = new RegExp(`(?<![\\w.])(float|int|(?:np|numpy)\\.(?:array|asarray))\\(\\s*${name}((?:\\.(?:detach|cpu)\\(\\))*)\\s*[,)]`);
  const lines = run.code.split("\n");
  for (let i = Math.max((node.line || 1) - 1, 0); i < lines.length; i += 1) {
    const line = lines[i].replace(/#.*/, "");
    const found = method.exec(line);
    if (found) return { line: i + 1, how: `${node.var}${found[1]}` };
    const cast = builtin.exec(line);
    if (cast) return { line: i + 1, how: `${cast[1]}(${node.var}${cast[2]})` };
  }
  return null;
}

// The ids of the forward ops from whose outputs a tensor backward ran through (its grad_fn in `ran`) can be reached,
// following the tensors made from them: one walk back from those tensors (a walk on from each op, for each cut met,
// held the page 5 s on a tensor that 8,000 steps of a loop under no_grad were made from).
function opsLeadingTo(index, ran) {
  const makers = new Map(); // tensor id -> the ops that made it
  for (const [op, outs] of index.outputs) for (const id of outs) (makers.get(id) || makers.set(id, []).get(id)).push(op);
  const queue = index.run.forward.nodes.filter((n) => n.kind === "tensor" && ran.has(n.grad_fn)).map((n) => n.id);
  const seen = new Set(queue);
  const came = new Set();
  for (let i = 0; i < queue.length; i += 1) {
    for (const op of makers.get(queue[i]) || []) {
      if (came.has(op)) continue;
      came.add(op);
      for (const id of index.inputs.get(op) || []) {
        if (seen.has(id)) continue;
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return came;
}

// Why no backward pass ran: backward() was never called (`never`), or the code stopped on a line before (`stopped`).
function noBackward(run, never, stopped) {
  const line = stoppedBeforeBackward(run);
  return line === null ? t(never) : t(stopped, { line });
}

// Where tracking stopped on the way from `node` on (the first op, following what was made from it, that is a cut,
// ran under no_grad or has no gradient): {line, how}, or null.
function cutDownstream(index, node) {
  // (none where the backward graph leads to the tensor's node from one that ran: a custom Function's forward ops)
  const own = node.grad_accumulator || node.grad_fn;
  const ran = index.run.backward.nodes.filter((n) => runsOf(n).length).map((n) => n.id);
  if (own && backwardReached(index.run, ran).has(own)) return null;
  const users = new Map(); // tensor id -> the ops it went into
  for (const [op, ins] of index.inputs) for (const id of ins) (users.get(id) || users.set(id, []).get(id)).push(op);
  // (whether what an op made leads on to a tensor a backward pass ran through: else backward never came near it, and
  // the op is not why no gradient came back; `W.T @ W < 1e-5` after the last backward() was said to cut W off)
  let came = null; // the ops that made a tensor leading on to one backward ran through, found once, back from those
  const backwardCame = (opId) => {
    if (!came) came = opsLeadingTo(index, new Set(ran));
    return came.has(opId);
  };
  const seen = new Set([node.id]);
  const queue = [node.id];
  for (let i = 0; i < queue.length; i += 1) {
    for (const id of users.get(queue[i]) || []) {
      const op = index.forward.get(id);
      if (!op || seen.has(id)) continue;
      seen.add(id);
      if ((op.no_grad || op.cut || op.non_differentiable) && backwardCame(id)) {
        const kind = takenOut(op) ? { out: true } : op.op === "requires_grad_" ? { frozen: true } : {};
        return { line: op.line ?? "?", how: cutWritten(op, index), ...kind };
      }
      for (const out of index.outputs.get(id) || []) {
        if (seen.has(out)) continue;
        seen.add(out);
        queue.push(out);
      }
    }
  }
  return null;
}

// The leaves a learner reads as None after backward(): each named leaf that requires grad, whose .grad is None at the
// end and whose AccumulateGrad never ran, with why, from the forward graph: {leaf (its newest node), roots (names of
// what backward() ran from), kind, and by kind: `cut` (the op that cut it off on its way to a root: detach, an op
// under no_grad, one with no gradient), `other` (a forward or backward node: the result its graph leads to, which
// backward never ran from, or the node that sent None)}. kind: "cut", "frozen" (the cut is `requires_grad_(False)`),
// "no_gradient" (argmax), "not_sent" (its
// AccumulateGrad got None alone: a custom Function's backward returned None for it), "not_run", "unused" (in no op at all), "elsewhere"
// (not on the way to a root), "not_chosen" (on the way, uncut, but a pass named its inputs: backward(inputs=...)),
// "unreached" (on the way, uncut: a pass that raised), "returned" (only torch.autograd.grad ran: .grad is not filled),
// "values_out" (not on the way, its values taken out as Python's or NumPy's: `out` {line, how}, valuesOut's), "late"
// (used by an op, `other`, before requires_grad was set on it on line `set`); and
// "constant": a tensor made without requires_grad whose .grad the code reads ("integer": one of integers or bools,
// which cannot require grad). None in a run with no backward() call.
export function missingGrads(index) {
  const run = index.run;
  const calls = run.backward_calls || [];
  const filled = (pass) => (calls.length ? calls[pass - 1] === "backward" : true); // (grad() fills no .grad)
  const roots = []; // backward nodes a backward() call started from
  for (const node of run.backward.nodes) {
    if (runsOf(node).some((r) => filled(r.backward_pass) && (r.order === 0 || r.seed))) roots.push(node);
  }
  if (!roots.length) return returnedGrads(index, calls);
  const rootTensors = new Set(roots.map((node) => node.tensor).filter((id) => id && index.forward.has(id)));
  const before = new Map(); // forward node -> the nodes its edges come from
  const after = new Map();
  for (const edge of run.forward.edges) {
    (before.get(edge.target) || before.set(edge.target, []).get(edge.target)).push(edge.source);
    (after.get(edge.source) || after.set(edge.source, []).get(edge.source)).push(edge.target);
  }
  const toRoot = reached([...rootTensors], before); // what a root was computed from
  // a leaf's versions (optimizer.step() changes it in place: a node each) are one leaf, its .grad on the newest
  const leaves = new Map();
  for (const node of index.forward.values()) {
    if (node.kind !== "tensor" || !node.is_leaf || !node.requires_grad) continue;
    // (one with no AccumulateGrad, never on a backward graph, by its name: an EMA copy's parameters, changed in place
    // each step, were listed once per version)
    const key = node.grad_accumulator || (node.var ? `var ${node.var}` : node.id);
    (leaves.get(key) || leaves.set(key, []).get(key)).push(node);
  }
  const found = [];
  let fromRoots = null; // the backward nodes the roots lead to (made once, when first needed)
  // (what every leaf's search shares is made once: each leaf's own was a search to the end of the graph, and a run of
  // 8,000 leaves, each detached on its way into one long sum, took the page 200 s as it opened)
  const rootNames = [...new Set(roots.map((node) => tensorOf(index, node) || node.expr || node.name))];
  const nearestCut = nearestFinder(index.forward.keys(), after, before, (id) => toRoot.has(id), (id) => isCut(index.forward.get(id)));
  let raised; // (the node a pass raised in, found once)
  const given = run.backward_inputs_given || [];
  const inputsNamed = calls.some((call, i) => call === "backward" && given[i]);
  let unrunTop = null; // (the first backward node up from a node that no edge goes to and no pass ran, made once)
  let late;
  for (const versions of leaves.values()) {
    const leaf = versions[versions.length - 1];
    const accumulator = index.backward.get(leaf.grad_accumulator);
    if (!leaf.var || versions.some((v) => v.grad)) continue;
    const said = { leaf, roots: rootNames };
    if (accumulator && runsOf(accumulator).length) {
      // its AccumulateGrad ran: the code emptied .grad since (zero_grad()), or every gradient it got was None (a
      // custom Function's backward returned None for it: the page printed `None` and said nothing of why)
      const sender = sentNone(index, leaf);
      if (sender) found.push({ ...said, kind: "not_sent", other: sender });
      continue;
    }
    const ids = versions.map((v) => v.id);
    // (the backward graph leads from a root to its AccumulateGrad where the forward graph shows no way: a tensor changed
    // through another that shares its memory, `z = y.detach(); z.zero_()`, was said to be "not used to compute" it)
    fromRoots = fromRoots || backwardReached(run, roots.map((node) => node.id));
    const linked = Boolean(accumulator && fromRoots.has(accumulator.id));
    if (linked || ids.some((id) => toRoot.has(id))) {
      // the nearest cut on its way to a root; none where the backward graph leads from a root to its AccumulateGrad (a
      // custom autograd.Function's forward runs its ops under no_grad, and its backward node links them: x.grad
      // was said to be None for a cut "under torch.no_grad()" in the Function, not for its backward's error)
      const cut = linked ? undefined : index.forward.get(nearestCut(ids));
      // (argmax: no gradient to send; `p.requires_grad_(False)`, a frozen parameter: backward does not stop there, it
      // goes on through the ops that used p to the layers before it, and computes nothing for p alone)
      const kind = !cut ? "unreached" : cut.op === "requires_grad_" ? "frozen" : cut.cut || cut.no_grad ? "cut" : "no_gradient";
      // no cut on its way, but a backward pass raised: the node it stopped in sent nothing on (an in-place change of
      // a saved tensor, a hook that raised), and what comes after it never ran
      if (!cut && raised === undefined) raised = raisedIn(run);
      // (no cut, no error: a pass that named its inputs, `backward(inputs=[w])`, leaves every other leaf alone)
      const chosen = !cut && inputsNamed;
      if (!cut && raised) found.push({ ...said, kind: "stopped", other: raised });
      else if (chosen) found.push({ ...said, kind: "not_chosen" });
      else found.push(cut ? { ...said, kind, cut } : { ...said, kind });
    } else if ((late = usedBeforeRequiresGrad(index, versions, after))) {
      // (`y = (w * x).sum() + b`, then `w.requires_grad_()`: w was said to be "not used in any operation")
      found.push({ ...said, kind: "late", other: late.used, set: late.set });
    } else if (!ids.some((id) => after.has(id))) {
      const out = valuesOut(run, leaf); // (`v = leaf.tolist()`: in no op, its values taken out)
      found.push(out ? { ...said, kind: "values_out", out } : { ...said, kind: "unused" });
    } else {
      // its graph's result no backward ran from: the node no edge goes to, up from its AccumulateGrad
      const senders = backwardSenders(run);
      unrunTop =
        unrunTop ||
        nearestFinder(index.backward.keys(), senders, backwardNext(run), () => true, (id) => {
          const node = index.backward.get(id);
          return Boolean(node && !senders.has(id) && !runsOf(node).length);
        });
      const other = accumulator ? index.backward.get(unrunTop([accumulator.id])) : undefined;
      const tensor = other && other.tensor && index.forward.get(other.tensor);
      // (`y = torch.from_numpy(np.sin(x.detach().numpy()))`: x was said "not used to compute" the loss made from y)
      const out = other ? null : valuesOut(run, leaf);
      found.push(other ? { ...said, kind: "not_run", other: tensor || other } : out ? { ...said, kind: "values_out", out } : { ...said, kind: "elsewhere" });
    }
  }
  // The learner's commonest None: a tensor the code made without requires_grad=True (not a cut's result: no op made it)
  // and whose .grad it reads, `print(w.grad)`. PyTorch says nothing, and it is no leaf that needs a gradient above.
  const named = new Set(found.map((f) => f.leaf.var));
  const read = gradReads(run.code);
  // (a name also given to a tensor that requires grad is not this case)
  const tracked = new Set([...index.forward.values()].filter((n) => n.kind === "tensor" && n.requires_grad).map((n) => n.var));
  for (const node of index.forward.values()) {
    if (node.kind !== "tensor" || !node.is_leaf || node.requires_grad || !node.var || node.grad || named.has(node.var)) continue;
    if (before.has(node.id) || !read.has(node.var) || tracked.has(node.var)) continue;
    named.add(node.var);
    // (an integer or bool tensor cannot require grad at all: requires_grad_() on it raises, so the note says .float())
    found.push({ leaf: node, roots: [], kind: canRequireGrad(node.dtype) ? "constant" : "integer" });
  }
  return found;
}

// For a leaf's versions, when one was made by a requires_grad_() (or `.requires_grad = True`) on its version before,
// which an op had used already: {used (the first such op), set (the line of requires_grad_)}, else null. That op
// computed with it as a constant, and no gradient comes back to it from what it made.
function usedBeforeRequiresGrad(index, versions, after) {
  for (const version of versions) {
    const op = index.producer.get(version.id);
    if (!op || op.op !== "requires_grad_") continue;
    const before = index.forward.get((index.inputs.get(op.id) || [])[0]);
    if (!before || before.requires_grad) continue;
    const users = after ? after.get(before.id) || [] : [...index.inputs].filter(([, ins]) => ins.includes(before.id)).map(([id]) => id);
    const used = users.map((id) => index.forward.get(id)).filter((n) => n && n.kind === "op" && n !== op);
    const first = used.find((n) => Number.isInteger(n.line) && (!Number.isInteger(op.line) || n.line <= op.line));
    if (first) return { used: first, set: op.line ?? "?" };
  }
  return null;
}

// Whether torch lets a tensor of this dtype require grad: floating point and complex only (not known: yes).
function canRequireGrad(dtype) {
  return !dtype || /^(b?float|complex|half|double)/.test(dtype);
}

// In a run whose only backward calls are torch.autograd.grad: each leaf that requires grad whose `.grad` the code
// reads, None because grad() returns its gradients rather than storing them (kind "returned").
function returnedGrads(index, calls) {
  if (!calls.length || calls.some((call) => call !== "grad")) return [];
  const read = gradReads(index.run.code);
  const found = new Map(); // name -> its newest node
  const filled = new Set();
  for (const node of index.forward.values()) {
    if (node.kind !== "tensor" || !node.is_leaf || !node.requires_grad || !read.has(node.var)) continue;
    found.set(node.var, { leaf: node, roots: [], kind: "returned" });
    if (node.grad) filled.add(node.var);
  }
  return [...found.values()].filter((f) => !filled.has(f.leaf.var));
}

// Whether the code reads `name.grad` (outside comments).
export function readsGrad(code, name) {
  return gradReads(code).has(name);
}

// The names the code reads a `.grad` of (`w.grad`, `m[0].weight .grad`), comments left out: read once for a code, in
// one pass (a name looked for line by line, once per tensor, made a snippet of 20,000 named tensors freeze the page).
// Each name starts where no name, attribute or index goes on before it, and an index holds no `[` (one read past
// each `[` of `a[a[a[…` to the line's end), so a long line is read in linear time.
export const GRAD_READ = /(?<![\w.\]])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^[\]\n]*\])*)\s*\.\s*grad\b/g;
let reads = { code: null, names: new Set() };
export function gradReads(code) {
  if (typeof code !== "string") return new Set();
  if (reads.code !== code) {
    const names = new Set();
    for (const line of code.split("\n")) {
      for (const found of line.replace(/#.*$/, "").matchAll(GRAD_READ)) names.add(found[1]);
    }
    reads = { code, names };
  }
  return reads.names;
}

// Whether a node's run received nothing but None (its grad_out recorded, every entry null).
const gotNone = (ran) => Array.isArray(ran.grad_out) && ran.grad_out.length > 0 && ran.grad_out.every((grad) => grad === null);

// The backward node that sent forward tensor `node`'s own node (its AccumulateGrad or grad_fn) None, no gradient, in
// each pass that ran it (a custom Function's backward returned None for that input), or null.
function sentNone(index, node) {
  const own = index.backward.get(node.grad_accumulator || node.grad_fn);
  if (!own || !runsOf(own).length || !runsOf(own).every(gotNone)) return null;
  return index.backward.get((backwardSenders(index.run).get(own.id) || [])[0]) || null;
}

// The backward node a pass of the run raised in (the error's pass), or null.
function raisedIn(run) {
  const pass = run.error && run.error.backward_pass;
  if (!Number.isInteger(pass)) return null;
  return run.backward.nodes.find((node) => node.raised_in_pass === pass) || null;
}

const isCut = (node) => Boolean(node && node.kind === "op" && (node.cut || node.no_grad || node.non_differentiable));

// The nodes reached from `ids` along `links` (id -> ids), `ids` first, nearest first; only through those `keep` keeps.
function reached(ids, links, keep = () => true) {
  const seen = new Set(ids);
  const queue = [...ids];
  for (let i = 0; i < queue.length; i++) {
    for (const next of links.get(queue[i]) || []) {
      if (seen.has(next) || !keep(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

// Backward node -> the nodes whose edges go to it (a run's, made once).
const SENDERS = new WeakMap();
function backwardSenders(run) {
  if (!SENDERS.has(run)) {
    const senders = new Map();
    for (const edge of run.backward.edges) (senders.get(edge.target) || senders.set(edge.target, []).get(edge.target)).push(edge.source);
    SENDERS.set(run, senders);
  }
  return SENDERS.get(run);
}

// Backward node -> the nodes its edges go to (a run's, made once).
const NEXT = new WeakMap();
function backwardNext(run) {
  if (!NEXT.has(run)) {
    const next = new Map();
    for (const edge of run.backward.edges) (next.get(edge.source) || next.set(edge.source, []).get(edge.source)).push(edge.target);
    NEXT.set(run, next);
  }
  return NEXT.get(run);
}

// The backward nodes reached from `ids` along the backward graph's edges (the way gradients flow), `ids` included.
function backwardReached(run, ids) {
  return reached(ids, backwardNext(run));
}

// For many searches over one graph: `nearest(starts)` is the first node `reached(starts, links, keep)` lists (nearest
// first, then in the links' order) that `wanted` holds for, or undefined. How far each node is from the nearest wanted
// one (through kept nodes) is worked out once for them all, backwards along `back` (`links` reversed); a search then
// follows, from the start nearest one, the first link one step nearer each time (the one a search from it meets
// first), and remembers where each node on its way led. `nodes` are the graph's nodes.
function nearestFinder(nodes, links, back, keep, wanted) {
  const away = new Map(); // node -> how many links from it to the nearest wanted node
  const queue = [];
  for (const id of nodes) {
    if (keep(id) && wanted(id)) {
      away.set(id, 0);
      queue.push(id);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const from of back.get(queue[i]) || []) {
      if (away.has(from) || !keep(from)) continue;
      away.set(from, away.get(queue[i]) + 1);
      queue.push(from);
    }
  }
  const nearer = (id, steps) => (links.get(id) || []).find((next) => keep(next) && away.get(next) === steps - 1);
  const leadsTo = new Map(); // node -> the wanted node a search from it meets first
  const firstFrom = (id) => {
    const way = [];
    let at = id;
    while (!leadsTo.has(at) && away.get(at) > 0) {
      way.push(at);
      at = nearer(at, away.get(at));
    }
    const found = leadsTo.has(at) ? leadsTo.get(at) : at;
    for (const on of way) leadsTo.set(on, found);
    return found;
  };
  return (starts) => {
    const wantedStart = starts.find(wanted);
    if (wantedStart !== undefined) return wantedStart;
    let best = null;
    for (const start of starts) {
      for (const next of links.get(start) || []) {
        if (keep(next) && away.has(next) && (best === null || away.get(next) < away.get(best))) best = next;
      }
    }
    return best === null ? undefined : firstFrom(best);
  };
}

// Whether `op`, run under no_grad, made `node` by changing in place a tensor it took in (an earlier node of the same
// leaf, or of the tensor the same name labels): the node is that tensor with new values, not one the op created.
function changedUnderNoGrad(index, op, node) {
  // (`param.data = v` keeps the tensor and its version: vector_to_parameters() under the code's torch.no_grad() gave
  // model.weight, a parameter that requires grad, "Created under no_grad")
  const replaced = Boolean(op) && op.op === "data=";
  if (!op || !op.no_grad || !(node.version > 0 || replaced)) return false;
  const before = (other) =>
    other && other.kind === "tensor" && other !== node && (replaced ? other.version <= node.version : other.version < node.version) &&
    (node.grad_accumulator ? other.grad_accumulator === node.grad_accumulator : Boolean(node.var) && other.var === node.var);
  const inputs = index.inputs.get(op.id) || [];
  if (inputs.some((id) => before(index.forward.get(id)))) return true;
  // (a parameter changed through an alias the op took in, drawn as one more output of it: AveragedModel's EMA lerps
  // each parameter's `.detach()`, and `ema.module.weight` was said to be made inside update_parameters() with no graph)
  return Boolean(node.grad_accumulator) && inputs.length > 0 && index.run.forward.nodes.some(before);
}

// The tensor whose in-place change by `op` changed view `node` with it (`wt = lin.weight.T`, then `opt.step()`: wt reads
// lin.weight's memory), or null: the op's other output that the view's new grad_fn reads. The view was said to be made
// by an autograd.Function inside torch (the step ran under no_grad), or by a backward pass with create_graph=True.
function viewChangedWith(index, op, node) {
  const made = op && !node.is_leaf && node.grad_fn ? index.backward.get(node.grad_fn) : null;
  if (!made || !(node.version > 0) || (index.inputs.get(op.id) || []).includes(node.id)) return null;
  const reads = backwardNext(index.run).get(made.id) || [];
  for (const id of index.outputs.get(op.id) || []) {
    const other = index.forward.get(id);
    if (other && other !== node && other.version === node.version && reads.includes(other.grad_accumulator || other.grad_fn)) return other;
  }
  return null;
}

// Whether `node` has the grad_fn of a tensor `op` took in: an op under no_grad that changed it in place keeps it
// (`h.mul_(2)` in a `with torch.no_grad():` block: h was said to be made by an autograd.Function inside torch), where
// a custom Function's `apply` gives its output one of its own.
function keepsInputGradFn(index, op, node) {
  return (index.inputs.get(op.id) || []).some((id) => (index.forward.get(id) || {}).grad_fn === node.grad_fn);
}

// A parameter's first node at a version above 0: its module initialised it in place (nn.Linear does) before the
// code used it; not a change the learner made, so not said to be one. A parameter backward never reached has no
// AccumulateGrad, and is known by its name; one frozen (`requires_grad_(False)`) is the same tensor, no change either
// (a frozen layer's weight said "Changed in place: this is version 1" on both its nodes).
function initialisedInPlace(index, node) {
  if (!node.is_leaf) return false;
  const op = index.producer.get(node.id);
  if (op && op.op === "requires_grad_") {
    const input = index.forward.get((index.inputs.get(op.id) || [])[0]);
    return Boolean(input) && input.version === node.version && initialisedInPlace(index, input);
  }
  if (!node.requires_grad || !(node.grad_accumulator || node.var)) return false;
  const same = node.grad_accumulator
    ? (other) => other.grad_accumulator === node.grad_accumulator
    : (other) => other.kind === "tensor" && other.is_leaf && other.var === node.var;
  for (const other of index.forward.values()) if (same(other) && other.version < node.version) return false;
  return true;
}

// A leaf's .grad that the code changed after the last backward pass put it there (clip_grad_norm_ scales it), as
// {name, before, after, line, call}: the line of the clipping call that did so where the code has one, else line null;
// null if .grad holds what backward left. The leaf's node showed the clipped .grad, its AccumulateGrad what backward
// added, and nothing said why the two differ.
export function gradChangedAfter(index, node) {
  const accumulator = index.backward.get(node.grad_accumulator);
  const runs = accumulator ? runsOf(accumulator) : [];
  const last = runs[runs.length - 1];
  const left = last && (last.grad_after || (last.grad_out || [])[0]);
  if (!left || left.truncated || node.grad.truncated || nearlyEqual(left.data, node.grad.data)) return null;
  const name = nameOf(index, node);
  return { name, before: formatValues(left.data), after: formatValues(node.grad.data), ...clipping(index.run) };
}

// The code's last line that clips gradients in .grad, as {line, call}: {line: null, call: null} if none does.
function clipping(run) {
  const lines = typeof run.code === "string" ? run.code.split("\n") : [];
  let line = null;
  let call = null;
  lines.forEach((text, at) => {
    const found = /\b(clip_grad_norm_|clip_grad_value_)\s*\(/.exec(text.replace(/#.*/, ""));
    if (found) [line, call] = [at + 1, found[1]];
  });
  return { line, call };
}

// Whether two values (nested lists of numbers) are equal, up to float32 rounding.
function nearlyEqual(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, k) => nearlyEqual(v, b[k]));
  }
  if (typeof a !== "number" || typeof b !== "number") return a === b;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

// The node of the same leaf, changed in place after this one (optimizer.step()), that shows the leaf's .grad.
// A newer node of the same leaf (the code changed it in place after this one), or null.
// The backward pass a tensor's gradient is from, in a run of several: its backward node's (its last run), or for a leaf,
// the pass that ran the ops this version went into (a training loop's model.fc1.weight of step 3: pass 3). Null where
// none tells.
function passOfGradient(index, node) {
  const own = node.grad_fn ? index.backward.get(node.grad_fn) : null;
  if (own) return own.backward_pass || null;
  // (the newest version of a leaf: .grad holds what the last pass that ran its AccumulateGrad put there; the pass of
  // the ops that used it was said, a torch.autograd.grad(create_graph=True) that fills no .grad, where a gradient
  // penalty's backward() reached x through the graph that grad() built, with no op of the forward graph on the way)
  const accumulator = node.grad_accumulator && !laterVersion(index, node) ? index.backward.get(node.grad_accumulator) : null;
  if (accumulator && Number.isInteger(accumulator.order)) return accumulator.backward_pass || null;
  const calls = index.run.backward_calls || [];
  let pass = null;
  for (const [op, ins] of index.inputs) {
    if (!ins.includes(node.id)) continue;
    for (const out of index.outputs.get(op) || []) {
      const made = index.forward.get(out);
      const ran = made && made.grad_fn ? index.backward.get(made.grad_fn) : null;
      // (a grad() pass fills no leaf's .grad)
      if (ran && ran.backward_pass && !(node.is_leaf && calls[ran.backward_pass - 1] === "grad")) pass = Math.max(pass || 0, ran.backward_pass);
    }
  }
  return pass;
}

function laterVersion(index, node) {
  if (!node.grad_accumulator) return null;
  const nodes = [...index.forward.values()];
  return nodes.slice(nodes.indexOf(node) + 1).find((other) => other.grad_accumulator === node.grad_accumulator) || null;
}

function laterVersionWithGrad(index, node) {
  if (!node.is_leaf || !node.grad_accumulator) return null;
  let later = false; // (only a version after it: the newest, its .grad emptied by zero_grad(), was called an earlier one)
  for (const other of index.forward.values()) {
    if (later && other.grad_accumulator === node.grad_accumulator && other.grad) return other;
    later = later || other === node;
  }
  return null;
}

// A Summary as a table (scalars as a number, 1-D as a row, 2-D as a grid, more as nested text).
export function summaryView(summary) {
  if (!summary) return el("p", { class: "none", text: t("none") });
  const box = el("div", { class: "summary" });
  const data = summary.data;
  if (data === null || data === undefined) {
    // why there are no values: memory torch.empty gave and nothing filled yet is said in the page's language. (Its
    // shape and dtype alone, `4 float32`, read as the value 4: the table above says them.)
    const why = summary.unreadable;
    if (why) {
      box.append(el("p", { class: "none", text: t("value_none") }));
      box.append(el("p", { class: "note", text: why.startsWith("not filled yet") ? t("value_unset") : why }));
    } else {
      box.append(el("p", { text: `${summary.shape.join("×") || "scalar"} ${summary.dtype}` }));
    }
    return box;
  }
  if (!Array.isArray(data)) {
    box.append(el("p", { class: "scalar", text: formatNumber(data) }));
  } else if (summary.truncated || !Array.isArray(data[0])) {
    box.append(table([data], true));
  } else if (!Array.isArray(data[0][0])) {
    box.append(table(data, false));
  } else {
    box.append(el("pre", { text: JSON.stringify(data) }));
  }
  if (summary.truncated) {
    const total = summary.shape.reduce((a, b) => a * b, 1);
    const stats = {
      n: data.length,
      total,
      min: formatNumber(summary.min),
      max: formatNumber(summary.max),
      mean: formatNumber(summary.mean),
    };
    box.append(el("p", { class: "stats", text: t("first_values", stats) }));
  }
  return box;
}

function table(rows, oneRow) {
  const head = el("tr", {}, el("td"));
  for (let j = 0; j < rows[0].length; j++) head.append(el("th", { scope: "col", text: String(j) }));
  const body = el("tbody");
  rows.forEach((row, i) => {
    const tr = el("tr", {}, oneRow ? el("td") : el("th", { scope: "row", text: String(i) }));
    for (const value of row) tr.append(el("td", { text: formatNumber(value) }));
    body.append(tr);
  });
  return el("div", { class: "table-scroll" }, el("table", {}, el("thead", {}, head), body));
}

function facts(pairs) {
  const dl = el("dl", { class: "facts" });
  for (const [key, value] of pairs) {
    if (value === null || value === undefined) continue;
    dl.append(el("dt", { text: key }), el("dd", {}, value));
  }
  return dl;
}

// A gradient a backward node sent (`slot`: its input), under the name of where it went (`→ X`): the input's tensor as
// the explanation names it, else the tensor of the node its arrow goes to.
function sentTo(index, node, slot, grad) {
  const input = (node.explain?.inputs || []).find((i) => i.slot === slot && i.to && index.forward.has(i.to));
  const edge = index.run.backward.edges.find((e) => e.source === node.id && e.slot === slot);
  const target = edge ? index.backward.get(edge.target) : null;
  let name = input ? nameOf(index, index.forward.get(input.to)) : "";
  if (!name && target) name = tensorOf(index, target) || target.name;
  // (x * x: which of the two x's)
  if (input && (node.explain?.inputs || []).filter((i) => i.to === input.to).length > 1) name += ` ${whichInput(slot)}`;
  return name ? [el("h4", { text: `→ ${name}` }), summaryView(grad)] : [summaryView(grad)];
}

// The named leaves whose .grad is None because the code cut the graph on this op's line (the notes under the printed
// output say so of each, linked to the cut; the cut's inspector said only "Tracking stopped here"). A loop's cut is an
// op per pass, all on one line: each says so.
const LOST_NAMED = 6; // names written out; the rest counted
function lostAt(index, op) {
  const lost = missingGrads(index).filter((f) => f.cut && f.cut.line === op.line && f.cut.op === op.op).map((f) => nameOf(index, f.leaf));
  if (!lost.length) return [];
  const names = lost.slice(0, LOST_NAMED).join(", ");
  const more = lost.length - LOST_NAMED;
  const key = op.op === "requires_grad_" ? "note_op_frozen_lost" : "note_op_cut_lost"; // (freezing is no cut: its words)
  return [t(more > 0 ? `${key}_more` : key, { names, n: more })];
}

// A backward node's gradients and saved values, each list, are shown up to LIST_SHOWN entries, then how many more
// there are (the run's JSON has them all): a forged node that received 150,000 gradients took the inspector 6 s to
// open. A real node's lists are far shorter (`torch.stack` of a thousand tensors sends a thousand).
const LIST_SHOWN = 1000;
const listMore = (length) => el("p", { class: "note", text: t("list_more", { n: length - LIST_SHOWN }) });

// Why a tensor's gradient is what it is: the backward nodes that sent it one, each with the chain rule for that
// input (`explain.inputs[]` whose `to` is the tensor) and this run's numbers. The tensor's gradient is that of the last
// backward pass that reached it (an earlier pass's senders are counted in `earlier`, not listed: whether .grad still
// holds what they sent depends on zero_grad, which its AccumulateGrad says); several senders in that pass add up.
export function gradientSources(index, id) {
  const found = [];
  for (const node of index.run.backward.nodes) {
    if (node.name === "AccumulateGrad") continue;
    const ran = runIn(node, null);
    if (!ran || ran.order === null || ran.order === undefined || !ran.explain) continue;
    const grads = Array.isArray(ran.grad_in) ? ran.grad_in : [];
    for (const input of ran.explain.inputs || []) {
      if (input.to !== id || !grads[input.slot]) continue; // (not this tensor's, or sent nothing)
      found.push({ node, input, grad: grads[input.slot], pass: ran.backward_pass || 1, check: input.check });
    }
  }
  const last = found.reduce((most, f) => Math.max(most, f.pass), 0); // (not Math.max(...): thousands of a forged run's)
  return { sources: found.filter((f) => f.pass === last), earlier: found.filter((f) => f.pass < last).length };
}

// A sum of several paths' gradients longer than this (characters) is said in words only: the values are in the list
// above it and in the tensor's own table.
const SUM_CHARS_MAX = 240;

function sourcesView(index, tensor, link) {
  const { sources, earlier } = gradientSources(index, tensor.id);
  if (!sources.length) return startView(index, tensor);
  const say = (words) => (words ? words[language()] || words.en || "" : "");
  const list = el("ul", { class: "chain sources" });
  for (const { node, input, check } of sources) {
    const item = el("li", {}, el("span", { class: "from" }, "← ", link(node)), " ", formulaView(say(input.formula)));
    const numbers = input.numbers ? el("div", { class: "numbers" }, numbersCode(input.numbers)) : null;
    if (numbers) item.append(numbers);
    (numbers || item).append(" ", checkView(check));
    list.append(item);
  }
  const shown = [el("h3", { text: t("grad_sources") }), list];
  if (sources.length > 1) {
    // several paths: PyTorch adds them up, the sum written out with the run's numbers (`[3, 6] + [3, 6] = [6, 12]`:
    // only a sum of single numbers was, and a vector's two paths read "PyTorch adds them up" with no sum)
    const written = sumText(sources.map((s) => s.grad), tensor.grad);
    const sum = written && written.length <= SUM_CHARS_MAX ? written : "";
    shown.push(el("p", { class: "note sources-sum" }, t("grad_sources_sum", { n: sources.length }), sum ? " " : "", sum ? el("code", { text: sum }) : ""));
  }
  const hooked = earlier ? null : hookedArrival(index, tensor, sources);
  if (hooked) {
    const [before, middle, after] = t("grad_sources_hooked", { arrived: "\u0000", received: "\u0000" }).split("\u0000");
    shown.push(el("p", { class: "note sources-hooked" }, before, el("code", { text: formatSummary(hooked[0]) }), middle, el("code", { text: formatSummary(hooked[1]) }), after));
  }
  if (earlier) shown.push(...heldBefore(index, tensor, link));
  return shown;
}

// What a hook of the snippet's made of the gradient that arrived (`h.register_hook(lambda g: g * 10)`): the senders
// above sent one value (several: their sum), and the tensor's own node took in another, the gradient shown (the step
// of that node says so; the inspector said only the senders' formulas, "✓ matches PyTorch", under a gradient ten times
// as large). [arrived, received] Summaries, or null: nothing changed it, or it cannot be told (values cut short,
// another pass's).
function hookedArrival(index, tensor, sources) {
  const id = tensor.grad_fn || tensor.grad_accumulator;
  const node = id ? index.backward.get(id) : null;
  const ran = node ? runIn(node, null) : null;
  if (!ran || ran.seed || (ran.grad_out || []).length !== 1 || ran.backward_pass !== sources[0].pass) return null;
  const received = ran.grad_out[0];
  const values = (s) => (s && !s.truncated && s.data !== null && s.data !== undefined ? [s.data].flat(Infinity) : null);
  const took = values(received);
  const terms = sources.map((source) => values(source.grad));
  if (!took || terms.some((sent) => !sent || sent.length !== took.length)) return null;
  const sums = took.map((_, i) => terms.reduce((sum, sent) => sum + sent[i], 0));
  const same = (a, b) => a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-6 + 1e-4 * Math.abs(b);
  if (sums.every((v, i) => same(v, took[i]))) return null;
  let k = 0; // (the sum in the received value's nesting, to be written as it is)
  const refill = (data) => (Array.isArray(data) ? data.map(refill) : sums[k++]);
  const arrived = sources.length === 1 ? sources[0].grad : { ...received, data: refill(received.data) };
  return [arrived, received];
}

// Why the tensor backward started from has its gradient, which no node sent it: backward() began with it, as the walk's
// first step says (`loss.backward()` on a single number: ∂loss/∂loss = 1; the vector example's: the gradient the code
// gave). The tutorial's loss clicked showed `grad 1` and nothing of why, where every other tensor said it.
function startView(index, tensor) {
  const node = tensor.grad_fn ? index.backward.get(tensor.grad_fn) : null;
  const ran = node ? runIn(node, null) : null;
  const seed = ran && Array.isArray(ran.seed) && ran.seed.length === 1 ? ran.seed[0] : null;
  if (!seed) return [];
  const why = startText(index, node, ran, ran.backward_pass);
  const said = el("p", { class: "note start-why" }, `${t("received_start")} `, el("code", { text: `grad = ${formatSummary(seed)}` }));
  if (why) said.append(` ${why}`);
  return [el("h3", { text: t("grad_sources") }), said];
}

// An earlier backward() call sent the leaf a gradient too: whether .grad still held it when the last call added its
// own (its AccumulateGrad's sum with this run's numbers, `[4, 6] + [2, 4] = [6, 10]`: the senders above gave [2, 4] and
// the tensor shows [6, 10]), or had been emptied since (zero_grad), so that it holds the last call's alone.
function heldBefore(index, tensor, link) {
  const accumulator = tensor.grad_accumulator && index.backward.get(tensor.grad_accumulator);
  const ran = accumulator && runIn(accumulator, null);
  const added = ran && ran.grad_out && ran.grad_out[0];
  const line = ran && ran.explain && (ran.explain.inputs || []).find((input) => input.to === tensor.id && input.numbers);
  if (!line || !added || !tensor.grad) return [el("p", { class: "note", text: t("grad_sources_earlier") })];
  // (what .grad held right after that call, not at the end: clip_grad_norm_ scaling it afterwards was told it had
  // added to an earlier call's gradient)
  const after = ran.grad_after || added;
  if (sameValues(added, after)) return [el("p", { class: "note", text: t("grad_sources_emptied") })];
  const say = (words) => (words ? words[language()] || words.en || "" : "");
  const item = el("li", {}, el("span", { class: "from" }, "← ", link(accumulator)), " ", formulaView(say(line.formula)));
  item.append(el("div", { class: "numbers" }, numbersCode(line.numbers), " ", checkView(line.check)));
  return [el("p", { class: "note", text: t("grad_sources_held") }), el("ul", { class: "chain sources" }, item)];
}

const sameValues = (a, b) => JSON.stringify(a.shape) === JSON.stringify(b.shape) && JSON.stringify(a.data) === JSON.stringify(b.data);

const yesNo = (flag) => t(flag ? "yes" : "no") + ` (${flag ? "True" : "False"})`;

// The inspector's body for a node; `go(pane, id)` selects another node, `showLine(n)` marks a source line. While
// stepping (`at`: {step, steps}, the step shown and all of them), a backward node run in several passes shows its
// run in the step's pass, and one that has not run yet at that step says at which step it will.
export function inspectorBody(index, pane, id, { go, showLine }, at = null) {
  const node = pane === "forward" ? index.forward.get(id) : index.backward.get(id);
  const nodeButton = (where, other, text) =>
    el("button", { type: "button", class: "link", onclick: () => go(where, other) }, text);
  const lineButton = (line) =>
    line ? el("button", { type: "button", class: "link", onclick: () => showLine(line) }, t("line", { line })) : null;
  const body = el("div");
  let title;
  let kind;
  const sections = [];
  if (node.kind === "tensor") {
    title = nameOf(index, node);
    kind = t(node.var ? "tensor" : "tensor_unnamed");
    // a leaf's grad_fn is None, as PyTorch says: its backward node is the AccumulateGrad that fills its .grad
    const gradFnNode = node.grad_fn && index.backward.get(node.grad_fn);
    const accumulator = !gradFnNode && node.grad_accumulator && index.backward.get(node.grad_accumulator);
    sections.push(
      facts([
        [t("shape"), `(${node.shape.join(", ")})`],
        [t("dtype"), node.dtype],
        [t("requires_grad"), yesNo(node.requires_grad)],
        [t("is_leaf"), yesNo(node.is_leaf)],
        [t("version"), node.version ? String(node.version) : null],
        [t("grad_fn_field"), gradFnNode ? nodeButton("backward", gradFnNode.id, gradFnNode.name) : accumulator ? t("none") : null],
        [t("grad_fn"), accumulator ? nodeButton("backward", accumulator.id, accumulator.name) : null],
        [t("source_line"), lineButton(node.line)],
        [t("forward_line"), lineButton(node.forward_line)],
      ]),
      el("h3", { text: t("value") }),
      summaryView(node.value),
      el("h3", { text: t("grad") }),
      // (a leaf several passes add into: its .grad as this step has it, as the graph writes it on the node)
      at && at.held && at.held.has(node.id)
        ? summaryView(at.held.get(node.id))
        : at && node.grad && !at.known.has(node.id)
          ? el("p", { class: "note", text: t("grad_not_yet") })
          : summaryView(node.grad),
      // and why it is what it is (not while a step has not brought it yet)
      ...(node.grad && !(at && !at.known.has(node.id)) ? sourcesView(index, node, (sender) => nodeButton("backward", sender.id, nodeTitle(index, sender))) : []),
    );
    const savers = index.savedBy.get(node.id) || [];
    if (savers.length) {
      const list = el("ul");
      // (a loop's passes each made a node of one name that saved it: which is which, by the order it ran in)
      const twice = savers.some((s, i) => savers.findIndex((other) => other.node.name === s.node.name) !== i);
      for (const { node: saver, name } of savers) {
        const ran = twice ? runIn(saver, null) : null;
        const when = ran ? `, ${t("order_value", { n: ran.order + 1, pass: ran.backward_pass || 1 })}` : "";
        list.append(el("li", {}, nodeButton("backward", saver.id, saver.name), ` · ${name}${when}`));
      }
      sections.push(el("h3", { text: t("saved_by") }), list);
    }
  } else if (node.kind === "op") {
    title = node.op;
    kind = t("op");
    const names = (ids) => {
      const list = el("ul");
      for (const other of ids || []) {
        const tensor = index.forward.get(other);
        list.append(el("li", {}, nodeButton("forward", other, nameOf(index, tensor))));
      }
      return list;
    };
    sections.push(
      facts([
        [t("module"), node.module],
        [t("source_line"), lineButton(node.line)],
      ]),
      el("h3", { text: t("inputs") }),
      names(index.inputs.get(node.id)),
      el("h3", { text: t("outputs") }),
      names(index.outputs.get(node.id)),
    );
  } else {
    const step = at && at.step;
    const pass = step ? step.pass : null;
    const runs = runsOf(node);
    const stepRun = pass !== null ? runIn(node, pass) : null; // (null: no step shown, or its pass did not run it)
    const ran = stepRun || node;
    // a leaf's AccumulateGrad is for each version of the leaf: the one the step's pass used, else the first (where
    // the code made it; the newest is where an optimizer last changed it)
    const versions = node.name === "AccumulateGrad" ? (index.toForward.get(node.id) || []) : [];
    const tensorId = versions.length > 1 ? (step ? tensorsOfStep(index.run, versions, step)[0] : versions[0]) : node.tensor;
    const tensor = tensorId && index.forward.get(tensorId);
    title = node.name;
    kind = t("grad_fn");
    let order = t("never");
    if (runs.length) {
      // (a run of one backward pass: "#3", as its step says; "#3 (pass 1)" asked where pass 2 was)
      const passes = (index.run.backward_passes || 1) > 1;
      order = passes ? t("order_value", { n: ran.order + 1, pass: ran.backward_pass || 1 }) : `#${ran.order + 1}`;
      if (runs.length > 1) {
        order += stepRun ? t("order_runs", { n: runs.length, pass: ran.backward_pass }) : t("order_earlier", { n: runs.length - 1 });
      }
    }
    // not run yet at this step: in its pass, the step is at the pass's start or at an earlier node
    const ahead = stepRun && (step.kind === "pass" || step.order < stepRun.order);
    const stepNumber = ahead ? at.steps.findIndex((s) => s.kind === "node" && s.id === node.id && s.pass === pass) + 1 : 0;
    const explained = explanationView(index, node, ran);
    if (ahead) for (const numbers of explained.querySelectorAll(".numbers, .check")) numbers.remove(); // (not run yet)
    sections.push(
      el("h3", { text: t("what_it_computes") }),
      explained,
      facts([
        [t("tensor"), tensor ? nodeButton("forward", tensor.id, nameOf(index, tensor)) : null],
        [t("order"), order],
        [t("source_line"), lineButton(tensor && tensor.line)],
        [t("forward_line"), lineButton(tensor && tensor.forward_line)],
      ]),
    );
    if (Number.isInteger(node.raised_in_pass)) sections.push(el("p", { class: "note stopped-here", text: t("stopped_in", { pass: node.raised_in_pass }) }));
    if (ahead) {
      sections.push(el("p", { class: "note", text: t("not_yet", { step: stepNumber }) }));
    } else if (!unrun(node)) {
      // (a node no pass ran received and sent nothing: its note says so, no empty headings under it)
      // (one by one, and the first LIST_SHOWN: a forged node's lists are longer than a call takes arguments)
      const received = ran.grad_out || [];
      sections.push(el("h3", { text: t("received") }));
      for (const grad of received.slice(0, LIST_SHOWN)) sections.push(summaryView(grad));
      if (received.length > LIST_SHOWN) sections.push(listMore(received.length));
      const produced = ran.grad_in || [];
      sections.push(el("h3", { text: t("produced") }));
      if (!produced.length) sections.push(el("p", { class: "none", text: "—" }));
      produced.slice(0, LIST_SHOWN).forEach((grad, slot) => sentTo(index, node, slot, grad).forEach((part) => sections.push(part)));
      if (produced.length > LIST_SHOWN) sections.push(listMore(produced.length));
    }
    const valueOf = (s) => (s.tensor && index.forward.has(s.tensor) ? index.forward.get(s.tensor).value : s.value);
    const saved = (node.saved || []).filter((s) => valueOf(s) || s.repr);
    if (saved.length) {
      sections.push(el("h3", { text: t("saved") }));
      for (const s of saved.slice(0, LIST_SHOWN)) {
        const value = valueOf(s);
        // the snippet's name of a saved forward tensor, with PyTorch's (`x (self)`)
        const tensor = s.tensor ? index.forward.get(s.tensor) : null;
        const named = tensor ? nameOf(index, tensor) : s.means || s.name; // (a batch norm's `mean (result1)`)
        const heading = named && named !== s.name ? `${named} (${s.name})` : s.name;
        sections.push(el("h4", { text: heading }), value ? summaryView(value) : el("pre", { text: s.repr }));
      }
      if (saved.length > LIST_SHOWN) sections.push(listMore(saved.length));
    }
  }
  body.append(el("p", { class: "kind", text: kind }), el("h2", { id: "inspector-title", text: title }));
  for (const note of notes(index, node)) body.append(el("p", { class: "note", text: note }));
  for (const section of sections) body.append(section); // (one by one: a forged node's lists may be thousands long)
  return body;
}

