// Stepping through backward, as data: the steps (the backward nodes in the order PyTorch ran them, pass by pass)
// and what has happened at step k: which nodes ran, which edges carry a gradient, whose gradient is known, what a
// leaf reached by several paths has added up so far. Pure functions of a Run; the viewer draws them.

// The steps of a Run: {kind: "node", id, pass, order} in the order backward ran them; with several backward
// passes, each pass starts with a step of its own ({kind: "pass", pass}). Step k (1 first) is steps[k - 1];
// step 0 is before backward ran anything.
export function stepsOf(run) {
  const ran = run.backward.nodes.filter((n) => n.kind === "grad_fn" && Number.isInteger(n.order));
  const passOf = (n) => (Number.isInteger(n.backward_pass) ? n.backward_pass : 1);
  ran.sort((a, b) => passOf(a) - passOf(b) || a.order - b.order);
  const passes = [...new Set(ran.map(passOf))];
  const steps = [];
  for (const node of ran) {
    const pass = passOf(node);
    if (passes.length > 1 && (!steps.length || steps[steps.length - 1].pass !== pass)) {
      steps.push({ kind: "pass", pass, id: null });
    }
    steps.push({ kind: "node", id: node.id, pass, order: node.order });
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
  const ran = new Set();
  for (const step of steps.slice(0, k)) if (step.kind === "node") ran.add(step.id);
  const step = k > 0 ? steps[k - 1] : null;
  const current = step && step.kind === "node" ? step.id : null;
  const edges = run.backward.edges;
  const sent = new Set(); // edges a gradient has gone along
  const arriving = []; // edges into the running node, each bringing a gradient in this step's pass
  const passOf = new Map(run.backward.nodes.map((n) => [n.id, Number.isInteger(n.backward_pass) ? n.backward_pass : 1]));
  const inPass = (id) => !step || passOf.get(id) === step.pass; // (a leaf's AccumulateGrad gets every pass's paths)
  edges.forEach((edge, i) => {
    if (ran.has(edge.source)) sent.add(i);
    if (current && edge.target === current && ran.has(edge.source) && inPass(edge.source)) arriving.push(i);
  });
  const outgoing = [];
  edges.forEach((edge, i) => {
    if (current && edge.source === current) outgoing.push(i);
  });
  const known = new Set(); // forward tensors whose gradient is known: their backward node (or AccumulateGrad) ran
  for (const node of run.forward.nodes) {
    if (node.kind !== "tensor") continue;
    if ((node.grad_fn && ran.has(node.grad_fn)) || (node.grad_accumulator && ran.has(node.grad_accumulator))) {
      known.add(node.id);
    }
  }
  const pass = step ? step.pass : null;
  return { step, current, ran, sent, arriving, outgoing, known, accumulating: accumulating(run, ran, sent, pass) };
}

// Leaves reached by several paths: for each AccumulateGrad with two edges or more into it, the gradients that have
// arrived so far, in the order they arrived (their senders' order), and their sum (null when it cannot be added up here: values cut short).
// Only the paths of backward pass `pass` (when given) add up: an earlier backward call's gradient is in .grad only if
// the code did not zero it in between, which the node's explanation says.
function accumulating(run, ran, sent, pass = null) {
  const found = new Map();
  const into = new Map();
  run.backward.edges.forEach((edge, i) => {
    (into.get(edge.target) || into.set(edge.target, []).get(edge.target)).push(i);
  });
  const byId = new Map(run.backward.nodes.map((n) => [n.id, n]));
  const ranAt = (i) => {
    const source = byId.get(run.backward.edges[i].source);
    return [source?.backward_pass ?? 1, source?.order ?? 0];
  };
  const inArrivalOrder = (a, b) => ranAt(a)[0] - ranAt(b)[0] || ranAt(a)[1] - ranAt(b)[1];
  for (const node of run.backward.nodes) {
    if (node.name !== "AccumulateGrad") continue;
    const paths = (into.get(node.id) || []).filter((i) => pass === null || ranAt(i)[0] === pass);
    if (paths.length < 2) continue;
    const arrived = paths.filter((i) => sent.has(i) && run.backward.edges[i].grad).sort(inArrivalOrder);
    let sum = arrived.length ? run.backward.edges[arrived[0]].grad.data : null;
    for (const i of arrived.slice(1)) {
      const grad = run.backward.edges[i].grad;
      sum = grad.truncated ? null : addValues(sum, grad.data);
    }
    found.set(node.id, { paths, arrived, sum, done: ran.has(node.id) && (pass === null || (node.backward_pass ?? 1) === pass) });
  }
  return found;
}

// A step from the page's address: `?step=4` (0 to the number of steps), or null (none asked for).
export function stepFromQuery(search, count) {
  const text = new URLSearchParams(search).get("step");
  if (text === null || !/^\d{1,6}$/.test(text)) return null;
  return Math.min(Number(text), count);
}
