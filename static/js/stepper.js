// Stepping through backward, as data: the steps (the backward nodes in the order PyTorch ran them, pass by pass)
// and what has happened at step k: which nodes ran, which edges carry a gradient, whose gradient is known, what a
// leaf reached by several paths has added up so far. Pure functions of a Run; the viewer draws them.

// A node's runs, oldest first: its `earlier_runs` (a leaf's AccumulateGrad runs in every pass of a training loop,
// `retain_graph=True` runs a graph again), then its last run, the node itself. Each has backward_pass, order,
// grad_in, grad_out, sent, seed and explain.
export function runsOf(node) {
  if (!Number.isInteger(node.order)) return [];
  const last = { ...node, backward_pass: Number.isInteger(node.backward_pass) ? node.backward_pass : 1 };
  return [...(node.earlier_runs || []), last];
}

// A node's run in backward pass `pass` (its last run when `pass` is null), or null if that pass did not run it. Its
// earlier runs are looked up by pass in a map made once for each list of them: a step looks up a run of the sender of
// each arrow into a leaf, and a search of the sender's runs each time held a forged run's page 20 s a step (4,000 arrows
// from a node of 50,000 runs, 6.7 MB).
const EARLIER = new WeakMap(); // a node's earlier_runs -> {length, byPass: Map(pass -> its first run in that pass)}
export function runIn(node, pass) {
  if (!Number.isInteger(node.order)) return null;
  const lastPass = Number.isInteger(node.backward_pass) ? node.backward_pass : 1;
  if (pass === null || pass === undefined || (pass === lastPass && !node.earlier_runs)) {
    return { ...node, backward_pass: lastPass };
  }
  const earlier = Array.isArray(node.earlier_runs) ? node.earlier_runs : [];
  let known = EARLIER.get(earlier);
  if (!known || known.length !== earlier.length) {
    known = { length: earlier.length, byPass: new Map() };
    for (const r of earlier) if (!known.byPass.has(r.backward_pass)) known.byPass.set(r.backward_pass, r);
    if (earlier.length) EARLIER.set(earlier, known);
  }
  return known.byPass.get(pass) || (pass === lastPass ? { ...node, backward_pass: lastPass } : null);
}

// The line the snippet stopped on (an error, a time or memory limit) before any backward() ran, or null: its
// backward graph is recorded but was never run, and not because backward() is missing from the code.
export function stoppedBeforeBackward(run) {
  const error = run.error;
  if (!error || run.backward_passes || !Number.isInteger(error.line)) return null;
  return error.line;
}

// A Run's backward nodes by id (made once per Run).
const BY_ID = new WeakMap();
function backwardNode(run, id) {
  if (!BY_ID.has(run)) BY_ID.set(run, new Map(run.backward.nodes.map((n) => [n.id, n])));
  return BY_ID.get(run).get(id);
}

// The gradient that flowed along backward edge `edge` in pass `pass` (null: the last pass), as a Summary or null.
export function edgeGrad(run, edge, pass = null) {
  const source = backwardNode(run, edge.source);
  const ran = source && pass !== null ? runIn(source, pass) : null;
  if (!ran || ran.backward_pass === (source.backward_pass ?? 1) || !Number.isInteger(edge.slot)) return edge.grad;
  const flowed = ran.sent || ran.grad_in || [];
  return flowed[edge.slot] ?? null;
}

// The steps of a Run: {kind: "node", id, pass, order} in the order backward ran them; a pass that raised an
// exception ends with {kind: "raised", id, pass}, the node it stopped in; with several backward passes, each pass
// starts with a step of its own ({kind: "pass", pass}). Step k (1 first) is steps[k - 1]; step 0 is before backward
// ran anything.
export function stepsOf(run) {
  const ran = [];
  for (const node of run.backward.nodes) {
    if (node.kind !== "grad_fn") continue;
    for (const r of runsOf(node)) ran.push({ kind: "node", id: node.id, pass: r.backward_pass, order: r.order });
    const stopped = node.raised_in_pass;
    if (Number.isInteger(stopped)) ran.push({ kind: "raised", id: node.id, pass: stopped, order: Infinity });
  }
  ran.sort((a, b) => a.pass - b.pass || a.order - b.order);
  const passes = new Set(ran.map((step) => step.pass));
  const steps = [];
  for (const step of ran) {
    if (passes.size > 1 && (!steps.length || steps[steps.length - 1].pass !== step.pass)) {
      steps.push({ kind: "pass", pass: step.pass, id: null });
    }
    steps.push(step);
  }
  return steps;
}

// Element-wise sum of two Summaries' values (null when either is cut or their shapes differ).
export function addValues(a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (Array.isArray(a) !== Array.isArray(b)) return null;
  if (!Array.isArray(a)) return typeof a === "number" && typeof b === "number" ? a + b : null;
  if (a.length !== b.length) return null;
  const out = [];
  for (let i = 0; i < a.length; i++) {
    const sum = addValues(a[i], b[i]);
    if (sum === null) return null;
    out.push(sum);
  }
  return out;
}

// What has happened once step `k` is done (0: nothing yet).
export function stateAt(run, steps, k) {
  const ran = new Set(); // nodes that have run in some pass
  const runs = new Set(); // `${id} ${pass}`: each run done
  const latest = new Map(); // node -> the pass of its latest run done (the steps go pass by pass)
  for (const step of steps.slice(0, k)) {
    if (step.kind !== "node") continue;
    ran.add(step.id);
    runs.add(`${step.id} ${step.pass}`);
    latest.set(step.id, step.pass);
  }
  const step = k > 0 ? steps[k - 1] : null;
  const current = step && step.kind !== "pass" ? step.id : null;
  // nodes whose latest run so far is an earlier one than their last (the graphs label them with their last run's
  // gradients): id -> that run's pass (read from the steps done: a look through each node's runs at every step, at
  // its page's opening for the 40 the step panel is measured by, held a forged Run's page 17 s, 300,000 runs of a node)
  const earlier = new Map();
  for (const node of run.backward.nodes) {
    const last = runIn(node, null);
    if (!last || !ran.has(node.id) || runs.has(`${node.id} ${last.backward_pass}`)) continue;
    earlier.set(node.id, latest.get(node.id));
  }
  const edges = run.backward.edges;
  const sent = new Set(); // edges a gradient has gone along
  const arriving = []; // edges into the running node, each bringing a gradient in this step's pass
  edges.forEach((edge, i) => {
    if (ran.has(edge.source)) sent.add(i);
    if (current && edge.target === current && runs.has(`${edge.source} ${step.pass}`)) arriving.push(i);
  });
  // in the order they arrived (their senders ran), as the node's formula and a leaf's "so far" add them: the step said
  // "Received grad = [4.5, 4.5] + [2, 4] + [1, 2]" and, two lines under it, "[1, 2] + [2, 4] + [4.5, 4.5]"
  if (arriving.length > 1) {
    const arrival = (i) => runIn(backwardNode(run, edges[i].source), step.pass)?.order ?? Infinity;
    arriving.sort((a, b) => arrival(a) - arrival(b) || a - b);
  }
  const outgoing = [];
  edges.forEach((edge, i) => {
    if (current && step.kind === "node" && edge.source === current) outgoing.push(i);
  });
  // backward nodes whose received gradient is known: their last run ran, or every node sending to them has run its
  // last (the arrows carry it: the step that sends it shows it); forward tensors whose gradient is known: their
  // node's is; an earlier version of a leaf shows the .grad of the pass that used it, known once its AccumulateGrad
  // ran in that pass, and a leaf's .grad once its AccumulateGrad ran (it adds into .grad then)
  const final = (id) => ran.has(id) && !earlier.has(id);
  const senders = new Map();
  for (const edge of edges) (senders.get(edge.target) || senders.set(edge.target, []).get(edge.target)).push(edge.source);
  // (a sender that never runs sends nothing: `y.detach() * x` leaves y's PowBackward0 unrun, and x's AccumulateGrad said
  // "grad ?" while the arrow beside it carried the 9 it received)
  const sends = (id) => {
    const sender = backwardNode(run, id);
    return !sender || sender.kind !== "grad_fn" || Number.isInteger(sender.order) || Number.isInteger(sender.raised_in_pass);
  };
  const ready = new Set();
  for (const node of run.backward.nodes) {
    const from = (senders.get(node.id) || []).filter(sends);
    if (final(node.id) || (from.length && from.every(final))) ready.add(node.id);
  }
  const known = new Set();
  const used = passesUsing(run);
  for (const node of run.forward.nodes) {
    if (node.kind !== "tensor") continue;
    const pass = used.get(node.id);
    const leaf = node.grad_accumulator && (pass !== undefined ? runs.has(`${node.grad_accumulator} ${pass}`) : final(node.grad_accumulator));
    if ((node.grad_fn && ready.has(node.grad_fn)) || leaf) known.add(node.id);
  }
  // a leaf several passes add into, unchanged between them (one node, its `grad` the last pass's .grad): its .grad as
  // the latest run of its AccumulateGrad so far left it, while that is not the last (`x.grad` 4, then 8, then 12: the
  // graph said "grad ?" to the last pass while the step said 4 + 4 = 8)
  const held = new Map();
  const versions = new Map(); // AccumulateGrad id -> how many versions of its leaf the graph has (an update: one more)
  for (const node of run.forward.nodes) {
    if (node.kind === "tensor" && node.grad_accumulator) versions.set(node.grad_accumulator, (versions.get(node.grad_accumulator) || 0) + 1);
  }
  for (const node of run.forward.nodes) {
    if (node.kind !== "tensor" || versions.get(node.grad_accumulator) !== 1) continue;
    const by = earlier.get(node.grad_accumulator);
    const done = by === undefined ? null : runIn(backwardNode(run, node.grad_accumulator), by);
    const value = done && (done.grad_after || (done.grad_out || [])[0]);
    if (value) held.set(node.id, value);
  }
  const pass = step ? step.pass : null;
  return { step, current, ran, ready, earlier, sent, arriving, outgoing, known, held, accumulating: accumulating(run, runs, pass) };
}

// What the graphs write, at a step, on the nodes and edges whose latest run so far is not their last (`earlier`): each
// node's received gradient then (null: it received several), and each edge's gradient then, as text; `format` writes
// a Summary.
export function earlierLabels(run, state, format, formatEdge = format) {
  const nodes = new Map();
  const edges = new Map();
  for (const [id, pass] of state.earlier) {
    const ran = runIn(backwardNode(run, id), pass);
    nodes.set(id, ran.grad_out && ran.grad_out.length === 1 ? format(ran.grad_out[0]) : null);
  }
  run.backward.edges.forEach((edge, i) => {
    if (state.earlier.has(edge.source)) edges.set(i, formatEdge(edgeGrad(run, edge, state.earlier.get(edge.source))));
  });
  return { nodes, edges };
}

// The last backward pass whose graph took in each version of a leaf but its newest: leaf tensor id -> pass (made once
// per Run: each step asks, and a leaf's AccumulateGrad may have run thousands of times).
const USING = new WeakMap();
function passesUsing(run) {
  if (!USING.has(run)) USING.set(run, lastPassesUsing(run));
  return USING.get(run);
}

function lastPassesUsing(run) {
  const byId = new Map(run.forward.nodes.map((n) => [n.id, n]));
  const backward = new Map(run.backward.nodes.map((n) => [n.id, n]));
  const versions = new Map(); // AccumulateGrad id -> its leaf's tensor nodes, in order
  for (const node of run.forward.nodes) {
    if (node.kind === "tensor" && node.grad_accumulator) (versions.get(node.grad_accumulator) || versions.set(node.grad_accumulator, []).get(node.grad_accumulator)).push(node.id);
  }
  const older = new Set([...versions.values()].flatMap((ids) => ids.slice(0, -1)));
  const after = new Map();
  for (const edge of run.forward.edges) (after.get(edge.source) || after.set(edge.source, []).get(edge.source)).push(edge.target);
  const latest = new Map(); // backward node id -> the last pass that ran it (once a node: its runs may be thousands)
  const latestOf = (node) => {
    if (!latest.has(node.id)) latest.set(node.id, runsOf(node).reduce((most, r) => Math.max(most, r.backward_pass), -Infinity));
    return latest.get(node.id);
  };
  const used = new Map();
  for (const id of older) {
    for (const op of after.get(id) || []) {
      for (const out of after.get(op) || []) {
        const node = backward.get(byId.get(out)?.grad_fn);
        if (node && Number.isInteger(node.order)) used.set(id, Math.max(used.get(id) ?? 0, latestOf(node)));
      }
    }
  }
  return used;
}

// The forward tensors of `tensors` (those a backward node is for) that a step's pass used: a leaf's AccumulateGrad in
// a training loop is for every version of the leaf, and its step in pass p for the one the ops of pass p took in
// (their outputs' nodes ran in that pass). All of them when none is found.
export function tensorsOfStep(run, tensors, step) {
  if (tensors.length < 2 || !step) return tensors;
  const byId = new Map(run.forward.nodes.map((n) => [n.id, n]));
  const backward = new Map(run.backward.nodes.map((n) => [n.id, n]));
  const after = new Map(); // forward node -> the nodes its edges go to
  for (const edge of run.forward.edges) (after.get(edge.source) || after.set(edge.source, []).get(edge.source)).push(edge.target);
  const ranInPass = (id) => {
    const node = backward.get(byId.get(id)?.grad_fn);
    return Boolean(node && runIn(node, step.pass));
  };
  const used = (id) => (after.get(id) || []).some((op) => (after.get(op) || []).some(ranInPass));
  const found = tensors.filter(used);
  return found.length ? found : tensors;
}

// Leaves reached by several paths in backward pass `pass` (the last pass that ran each, when null): for each
// AccumulateGrad with two edges or more into it from nodes that ran in that pass, the gradients that have arrived
// so far (`runs`: the runs done, `${id} ${pass}`), in the order they arrived (their senders' order), and their sum
// (null when it cannot be added up here: values cut short). Only one pass's paths add up: an earlier backward call's
// gradient is in .grad only if the code did not zero it in between, which the node's explanation says.
function accumulating(run, runs, pass = null) {
  const found = new Map();
  const into = new Map();
  run.backward.edges.forEach((edge, i) => {
    (into.get(edge.target) || into.set(edge.target, []).get(edge.target)).push(i);
  });
  const byId = new Map(run.backward.nodes.map((n) => [n.id, n]));
  for (const node of run.backward.nodes) {
    if (node.name !== "AccumulateGrad") continue;
    const own = runIn(node, pass);
    const inPass = own ? own.backward_pass : pass;
    const orderOf = (i) => runIn(byId.get(run.backward.edges[i].source) || {}, inPass)?.order;
    const paths = (into.get(node.id) || []).filter((i) => inPass === null || Number.isInteger(orderOf(i)));
    if (paths.length < 2) continue;
    const grads = new Map(paths.map((i) => [i, edgeGrad(run, run.backward.edges[i], inPass)]));
    const arrived = paths
      .filter((i) => runs.has(`${run.backward.edges[i].source} ${inPass}`) && grads.get(i))
      .sort((a, b) => orderOf(a) - orderOf(b));
    let sum = arrived.length ? grads.get(arrived[0]).data : null;
    for (const i of arrived.slice(1)) {
      const grad = grads.get(i);
      sum = grad.truncated ? null : addValues(sum, grad.data);
    }
    found.set(node.id, { paths, arrived, grads, sum, done: runs.has(`${node.id} ${inPass}`) });
  }
  return found;
}

// A step from the page's address: `?step=4` (0 to the number of steps), or null (none asked for).
export function stepFromQuery(search, count) {
  const text = new URLSearchParams(search).get("step");
  if (text === null || !/^\d{1,6}$/.test(text)) return null;
  return Math.min(Number(text), count);
}
