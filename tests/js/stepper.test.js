// Stepping through backward as data: the steps in the order PyTorch ran the nodes, what is known at each step, a
// leaf reached by several paths adding up, and the step in the address.
import assert from "node:assert/strict";
import { test } from "node:test";

import { foldedSenders } from "../../static/js/explain.js";
import { gradientTexts } from "../../static/js/pane.js";
import { addValues, earlierLabels, edgeGrad, runIn, stateAt, tensorsOfStep, stepFromQuery, stepsOf } from "../../static/js/stepper.js";

const summary = (data) => ({ shape: [], dtype: "float32", data, truncated: false });
// x = tensor(3., requires_grad=True); y = x * x + x; y.backward()
const RUN = {
  backward_passes: 1,
  forward: {
    nodes: [
      { id: "t0", kind: "tensor", var: "x", grad_fn: null, grad_accumulator: "b3" },
      { id: "t1", kind: "tensor", var: null, grad_fn: "b1" },
      { id: "t2", kind: "tensor", var: "y", grad_fn: "b0" },
    ],
    edges: [],
  },
  backward: {
    nodes: [
      { id: "b0", kind: "grad_fn", name: "AddBackward0", tensor: "t2", order: 0, backward_pass: 1 },
      { id: "b1", kind: "grad_fn", name: "MulBackward0", tensor: "t1", order: 1, backward_pass: 1 },
      { id: "b3", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 2, backward_pass: 1 },
      { id: "b9", kind: "grad_fn", name: "ExpBackward0", tensor: null, order: null },
    ],
    edges: [
      { source: "b0", target: "b1", grad: summary(1) },
      { source: "b0", target: "b3", grad: summary(1) },
      { source: "b1", target: "b3", grad: summary(3) },
      { source: "b1", target: "b3", grad: summary(3) },
    ],
  },
};

test("the steps are the nodes that ran, in the order backward ran them", () => {
  assert.deepEqual(
    stepsOf(RUN).map((s) => s.id),
    ["b0", "b1", "b3"],
  );
});

test("several backward passes: each pass is a step of its own, its nodes after it", () => {
  const run = structuredClone(RUN);
  run.backward.nodes[0].backward_pass = 1;
  run.backward.nodes[1].backward_pass = 2;
  run.backward.nodes[1].order = 0;
  run.backward.nodes[2].backward_pass = 2;
  run.backward.nodes[2].order = 1;
  assert.deepEqual(
    stepsOf(run).map((s) => `${s.kind}:${s.id ?? s.pass}`),
    ["pass:1", "node:b0", "pass:2", "node:b1", "node:b3"],
  );
});

test("a pass that raised ends with a step in the node it stopped in, which sends nothing", () => {
  // y.backward() twice: the second pass ran AddBackward0 and stopped in MulBackward0 (its saved tensors freed)
  const run = structuredClone(RUN);
  run.backward.nodes[0].earlier_runs = [{ backward_pass: 1, order: 0 }];
  run.backward.nodes[0].backward_pass = 2;
  run.backward.nodes[1].raised_in_pass = 2;
  const steps = stepsOf(run);
  assert.deepEqual(
    steps.map((s) => `${s.kind}:${s.id ?? s.pass}`),
    ["pass:1", "node:b0", "node:b1", "node:b3", "pass:2", "node:b0", "raised:b1"],
  );
  const last = stateAt(run, steps, steps.length);
  assert.equal(last.current, "b1");
  assert.deepEqual(last.arriving, [0]);
  assert.deepEqual(last.outgoing, []);
  // a pass that stopped in its root, before any node ran, still has its own pass step
  const root = structuredClone(RUN);
  root.backward.nodes[0].raised_in_pass = 2;
  assert.deepEqual(
    stepsOf(root).map((s) => `${s.kind}:${s.id ?? s.pass}`),
    ["pass:1", "node:b0", "node:b1", "node:b3", "pass:2", "raised:b0"],
  );
});

test("before the first step nothing is known; each step runs one node and sends along its edges", () => {
  const steps = stepsOf(RUN);
  const zero = stateAt(RUN, steps, 0);
  assert.equal(zero.current, null);
  assert.equal(zero.sent.size, 0);
  assert.equal(zero.known.size, 0);
  const one = stateAt(RUN, steps, 1);
  assert.equal(one.current, "b0");
  assert.deepEqual([...one.sent], [0, 1]);
  // y's gradient, and t1's: every node sending to MulBackward0 has run, its arrow carries t1's gradient
  assert.deepEqual([...one.known], ["t1", "t2"]);
  assert.deepEqual([...one.ready], ["b0", "b1"]);
  const two = stateAt(RUN, steps, 2);
  assert.deepEqual(two.arriving, [0]);
  assert.deepEqual(two.outgoing, [2, 3]);
});

test("the arrows into a node are in the order their gradients arrived, as its formula adds them", () => {
  // (edges listed b1's first: the step's "Received grad = 3 + 3 + 1" read against its formula's 1 + 3 + 3)
  const run = structuredClone(RUN);
  run.backward.edges = [run.backward.edges[0], run.backward.edges[2], run.backward.edges[3], run.backward.edges[1]];
  const steps = stepsOf(run);
  assert.deepEqual(stateAt(run, steps, 3).arriving, [3, 1, 2]); // (b0 ran first, then b1's two)
});

test("a leaf reached by three paths adds them up as they arrive", () => {
  const steps = stepsOf(RUN);
  const one = stateAt(RUN, steps, 1).accumulating.get("b3");
  assert.deepEqual([one.arrived, one.sum, one.done], [[1], 1, false]);
  const three = stateAt(RUN, steps, 3).accumulating.get("b3");
  assert.deepEqual([three.arrived, three.sum, three.done], [[1, 2, 3], 7, true]);
  const listedLater = structuredClone(RUN); // the Run lists MulBackward0's edges before AddBackward0's
  listedLater.backward.edges = [RUN.backward.edges[2], RUN.backward.edges[3], RUN.backward.edges[0], RUN.backward.edges[1]];
  const arrived = stateAt(listedLater, steps, 3).accumulating.get("b3").arrived;
  assert.deepEqual(arrived.map((i) => listedLater.backward.edges[i].source), ["b0", "b1", "b1"]); // as they arrived
  assert.deepEqual(addValues([[1], [2]], [[3], [4]]), [[4], [6]]);
  assert.equal(addValues([1, 2], [1]), null);
});

test("the step in the address is a number within the steps, else none", () => {
  assert.equal(stepFromQuery("?step=4", 8), 4);
  assert.equal(stepFromQuery("?step=0", 8), 0);
  assert.equal(stepFromQuery("?step=99", 8), 8);
  for (const bad of ["", "?step=", "?step=-1", "?step=2.5", "?step=x", "?other=1"]) assert.equal(stepFromQuery(bad, 8), null, bad);
});

test("a record's gradient texts: from its grad field to its saved values, rows of a matrix included", () => {
  assert.deepEqual(gradientTexts(["x", "() float32", "data 2", "grad 4"]), [3]);
  assert.deepEqual(gradientTexts(["X", "(2, 3) float32", "data 1", "grad", "[[1, 2, 3],", "\u00a0[4, 5, 6]]"]), [3, 4, 5]);
  assert.deepEqual(gradientTexts(["MulBackward0 (z)", "#2", "grad 1", "saved self: 3"]), [2]);
  assert.deepEqual(gradientTexts(["MulBackward0 (z)", "#2", "grad 1", "저장 x (self): 3"]), [2]);
  assert.deepEqual(gradientTexts(["grad * 2", "() float32", "data 2"]), []); // a name that starts with "grad"
});

test("a pass started by torch.autograd.grad() is not said to add to .grad, and the backward() after it is the first", async () => {
  const { passText } = await import("../../static/js/explain.js");
  const { t } = await import("../../static/js/i18n.js");
  // the higher-order example: dy_dx, = torch.autograd.grad(y, x, create_graph=True), then dy_dx.backward()
  const run = { backward_calls: ["grad", "backward", "backward"] };
  assert.equal(passText(run, 1), t("step_pass_grad", { pass: 1 }));
  assert.equal(passText(run, 2), t("step_pass_first", { pass: 2 }));
  assert.equal(passText(run, 3), t("step_pass", { pass: 3 }));
  // a run stored before backward_calls: every pass was a backward() call
  assert.equal(passText({}, 1), t("step_pass_first", { pass: 1 }));
  assert.equal(passText({}, 2), t("step_pass", { pass: 2 }));
});

test("a later backward() says whether it adds to gradients an earlier pass left or to a .grad zero_grad() emptied", async () => {
  const { passText } = await import("../../static/js/explain.js");
  const { t } = await import("../../static/js/i18n.js");
  // a training loop that forgot zero_grad() in its third pass, then a torch.autograd.grad() call
  const run = { backward_calls: ["backward", "backward", "backward", "grad"], added_to_grads: [false, false, true, null] };
  assert.equal(passText(run, 1), t("step_pass_first", { pass: 1 }));
  assert.equal(passText(run, 2), t("step_pass_fresh", { pass: 2, leaf: "tensor" }));
  assert.equal(passText(run, 3), t("step_pass_added", { pass: 3, leaf: "tensor" }));
  assert.equal(passText(run, 4), t("step_pass_grad", { pass: 4 }));
  assert.notEqual(t("step_pass_fresh", { pass: 2 }), t("step_pass_added", { pass: 2 }));
  // (the ways to empty .grad as ways, not as a list of what the code did: "(w.grad = None, w.grad.zero_(), …)")
  assert.match(t("step_pass_fresh", { pass: 2, leaf: "w" }), /\(by w\.grad = None, w\.grad\.zero_\(\) or an optimizer's/);
  // (zero_() leaves zeros, not nothing: the pass is said of it too, as its AccumulateGrad says "had been zeroed")
  assert.match(t("step_pass_fresh", { pass: 2 }), /zero_\(\)/);
  // a pass that raises says so at its start
  const stopped = { ...run, backward: { nodes: [{ name: "MulBackward0", raised_in_pass: 2 }] } };
  assert.equal(passText(stopped, 2), `${t("step_pass_fresh", { pass: 2, leaf: "tensor" })} ${t("step_pass_stops", { node: "MulBackward0" })}`);
  assert.equal(passText(stopped, 3), t("step_pass_added", { pass: 3, leaf: "tensor" }));
  // a pass whose call named its inputs (backward(inputs=[w])) says the other leaves get nothing from it
  const chosen = { ...run, backward_inputs_given: [true, false, false, true] };
  assert.equal(passText(chosen, 1), `${t("step_pass_first", { pass: 1 })} ${t("step_pass_inputs")}`);
  assert.equal(passText(chosen, 2), t("step_pass_fresh", { pass: 2, leaf: "tensor" }));
  assert.equal(passText(chosen, 4), t("step_pass_grad", { pass: 4 })); // (grad() always names them: said already)
  assert.match(t("step_pass_inputs"), /inputs=/);
});

test("step 0 of a walk of one backward(inputs=[w]) call says only the listed tensors get gradients", async () => {
  const { startInputsText } = await import("../../static/js/explain.js");
  const { t } = await import("../../static/js/i18n.js");
  // loss = (w * 3 + b) ** 2; loss.backward(inputs=[w]): one pass, no step of its own to say it on, and b.grad is None
  const chosen = { ...RUN, backward_calls: ["backward"], backward_inputs_given: [true] };
  assert.equal(startInputsText(chosen, stepsOf(chosen)), t("step_zero_inputs"));
  assert.match(t("step_zero_inputs"), /inputs=/);
  assert.equal(startInputsText({ ...chosen, backward_inputs_given: [false] }, stepsOf(chosen)), "");
  assert.equal(startInputsText({ ...chosen, backward_calls: ["grad"] }, stepsOf(chosen)), ""); // (grad() always names them)
  // several passes: each pass's step says it (passText), not step 0
  const two = structuredClone(chosen);
  two.backward_calls = ["backward", "backward"];
  two.backward_inputs_given = [true, false];
  two.backward.nodes[1].backward_pass = 2;
  two.backward.nodes[2].backward_pass = 2;
  assert.equal(startInputsText(two, stepsOf(two)), "");
  // one pass shown of several (the recording paused): that pass's call
  const last = structuredClone(chosen);
  last.backward_calls = ["backward", "backward"];
  last.backward_inputs_given = [false, true];
  for (const node of last.backward.nodes) node.backward_pass = 2;
  assert.equal(startInputsText(last, stepsOf(last)), t("step_zero_inputs"));
});

test("a leaf's AccumulateGrad, shared by the passes of a training loop, lights only its own pass's arrows", () => {
  // two passes, each with its own MulBackward0 into one AccumulateGrad that ran last in pass 2
  const run = {
    forward: { nodes: [], edges: [] },
    backward: {
      nodes: [
        { id: "m1", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 1 },
        { id: "m2", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 2 },
        { id: "acc", kind: "grad_fn", name: "AccumulateGrad", order: 1, backward_pass: 2 },
      ],
      edges: [
        { source: "m1", target: "acc", grad: summary(-2.16) },
        { source: "m2", target: "acc", grad: summary(0.0001) },
      ],
    },
  };
  const steps = stepsOf(run);
  const last = stateAt(run, steps, steps.length);
  assert.equal(last.current, "acc");
  assert.deepEqual(last.arriving, [1]);
});

test("a pass step of a paused run says which passes ran unrecorded after it", async () => {
  const { passText } = await import("../../static/js/explain.js");
  const { t } = await import("../../static/js/i18n.js");
  const node = (id, pass) => ({ id, kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: pass });
  const run = { recorded_passes: 3, backward_passes: 300, backward: { nodes: [node("a", 1), node("b", 2), node("c", 300)] } };
  assert.equal(passText(run, 1), t("step_pass_first", { pass: 1 }));
  assert.equal(passText(run, 2), `${t("step_pass", { pass: 2 })} ${t("step_pass_gap", { from: 3, to: 299 })}`);
  assert.equal(passText(run, 300), t("step_pass", { pass: 300 }));
  // (a forged count of passes: told at once, not counted up to one by one, which froze the tab)
  const forged = { ...run, backward_passes: 10 ** 15 };
  assert.equal(passText(forged, 300), `${t("step_pass", { pass: 300 })} ${t("step_pass_gap", { from: 301, to: 10 ** 15 })}`);
});

test("a pass step says which passes after it are folded into a group and which ran unrecorded", async () => {
  const { passText } = await import("../../static/js/explain.js");
  const { t } = await import("../../static/js/i18n.js");
  const node = (id, pass) => ({ id, kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: pass });
  // 300 passes of a training loop: 1 to 100 and 300 recorded, 2 to 98 folded into a group of repeats, 101 to 299
  // unrecorded (the page said that 2 to 98 ran unrecorded, where a click on the group showed them)
  const nodes = [node("a", 1), node("b", 99), node("c", 100), node("d", 300), { id: "g", kind: "group" }];
  const run = { recorded_passes: 101, backward_passes: 300, backward: { nodes } };
  assert.equal(passText(run, 1), `${t("step_pass_first", { pass: 1 })} ${t("step_pass_folded", { from: 2, to: 98 })}`);
  assert.equal(passText(run, 100), `${t("step_pass", { pass: 100 })} ${t("step_pass_gap", { from: 101, to: 299 })}`);
  // folded up to the pause: the gap holds both, the folded first
  const late = { ...run, backward: { nodes: [node("a", 1), node("d", 300)] } };
  assert.equal(
    passText(late, 1),
    `${t("step_pass_first", { pass: 1 })} ${t("step_pass_folded", { from: 2, to: 100 })} ${t("step_pass_gap_then", { from: 101, to: 299 })}`,
  );
  // two gaps that could each hold the unrecorded passes: neither is said to be one or the other
  const both = { recorded_passes: 12, backward_passes: 14, backward: { nodes: [node("a", 1), node("b", 5), node("c", 9), node("d", 14)] } };
  assert.equal(passText(both, 1), `${t("step_pass_first", { pass: 1 })} ${t("step_pass_hidden", { from: 2, to: 4 })}`);
});

test("a leaf's AccumulateGrad is a step in every pass that ran it, each with that pass's gradient", () => {
  // two passes of a loop, each with its own MulBackward0 into the leaf's one AccumulateGrad
  const accumulate = (pass, order, grad) => ({
    backward_pass: pass,
    order,
    grad_in: [],
    grad_out: [summary(grad)],
    explain: { rule: "AccumulateGrad", words: { en: `pass ${pass}`, ko: `${pass}번째` }, formula: { en: "", ko: "" }, inputs: [] },
  });
  const run = {
    forward: { nodes: [], edges: [] },
    backward: {
      nodes: [
        { id: "m1", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 1 },
        { id: "m2", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 2 },
        { id: "acc", kind: "grad_fn", name: "AccumulateGrad", ...accumulate(2, 1, 5), earlier_runs: [accumulate(1, 1, 7)] },
      ],
      edges: [
        { source: "m1", slot: 0, target: "acc", grad: summary(7) },
        { source: "m2", slot: 0, target: "acc", grad: summary(5) },
      ],
    },
  };
  const steps = stepsOf(run);
  assert.deepEqual(
    steps.map((s) => `${s.kind}:${s.id ?? ""}@${s.pass}`),
    ["pass:@1", "node:m1@1", "node:acc@1", "pass:@2", "node:m2@2", "node:acc@2"],
  );
  const first = stateAt(run, steps, 3);
  assert.equal(first.current, "acc");
  assert.deepEqual(first.arriving, [0]);
  // the picture labels the leaf with its last run's gradient (5): while pass 1 runs it, pass 1's (7) is written
  assert.deepEqual([first.earlier.get("acc"), first.earlier.has("m1")], [1, false]);
  const labels = earlierLabels(run, first, (summary) => String(summary.data));
  assert.deepEqual([...labels.nodes], [["acc", "7"]]);
  assert.equal(stateAt(run, steps, 6).earlier.size, 0);
  const acc = run.backward.nodes[2];
  assert.deepEqual([runIn(acc, 1).grad_out[0].data, runIn(acc, 1).explain.words.en], [7, "pass 1"]);
  assert.deepEqual([runIn(acc, 2).grad_out[0].data, runIn(acc, null).grad_out[0].data, runIn(acc, 3)], [5, 5, null]);
});

test("a graph run twice (retain_graph=True): each pass's edges carry that pass's gradients", () => {
  // y = x * 3; y.backward(tensor(1.), retain_graph=True); y.backward(tensor(2.))
  const run = {
    forward: { nodes: [], edges: [] },
    backward: {
      nodes: [
        {
          id: "mul", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 2, grad_in: [summary(6)],
          earlier_runs: [{ backward_pass: 1, order: 0, grad_in: [summary(3)], grad_out: [summary(1)] }],
        },
        { id: "acc", kind: "grad_fn", name: "AccumulateGrad", order: 1, backward_pass: 2, earlier_runs: [{ backward_pass: 1, order: 1, grad_in: [], grad_out: [summary(3)] }] },
        { id: "other", kind: "grad_fn", name: "MulBackward0", order: 1, backward_pass: 2 },
      ],
      edges: [
        { source: "mul", slot: 0, target: "acc", grad: summary(6) },
        { source: "other", slot: 0, target: "acc", grad: summary(1) },
      ],
    },
  };
  const steps = stepsOf(run);
  assert.equal(steps.filter((s) => s.kind === "node").length, 5);
  assert.equal(edgeGrad(run, run.backward.edges[0], 1).data, 3);
  assert.equal(edgeGrad(run, run.backward.edges[0], 2).data, 6);
  assert.equal(edgeGrad(run, run.backward.edges[0]).data, 6);
  const done = stateAt(run, steps, steps.length).accumulating.get("acc");
  assert.deepEqual([done.sum, done.done], [7, true]);
  // in pass 1 only `mul` reached the leaf: one path, nothing to add up
  const inFirst = stateAt(run, steps, steps.findIndex((s) => s.id === "acc") + 1);
  assert.equal(inFirst.step.pass, 1);
  assert.equal(inFirst.accumulating.get("acc"), undefined);
  assert.deepEqual(inFirst.arriving, [0]);
  // its arrow is drawn, labelled with pass 1's gradient (3), not the picture's (6)
  assert.ok(inFirst.sent.has(0));
  const labels = earlierLabels(run, inFirst, (summary) => String(summary.data));
  assert.deepEqual([[...labels.nodes], [...labels.edges]], [[["mul", "1"], ["acc", "3"]], [[0, "3"]]]);
});

test("a training loop's leaf step lights the version of the leaf its pass used", () => {
  // w (t0) -> mul (o1) -> t2 (MulBackward0 m1, pass 1); SGD.step (o3) -> w (t4) -> mul (o5) -> t6 (m2, pass 2)
  const run = {
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", grad_fn: null, grad_accumulator: "acc" },
        { id: "o1", kind: "op" },
        { id: "t2", kind: "tensor", grad_fn: "m1" },
        { id: "o3", kind: "op" },
        { id: "t4", kind: "tensor", grad_fn: null, grad_accumulator: "acc" },
        { id: "o5", kind: "op" },
        { id: "t6", kind: "tensor", grad_fn: "m2" },
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" }, { source: "t0", target: "o3" },
        { source: "o3", target: "t4" }, { source: "t4", target: "o5" }, { source: "o5", target: "t6" },
      ],
    },
    backward: {
      nodes: [
        { id: "m1", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 1 },
        { id: "m2", kind: "grad_fn", name: "MulBackward0", order: 0, backward_pass: 2 },
        { id: "acc", kind: "grad_fn", name: "AccumulateGrad", order: 1, backward_pass: 2, earlier_runs: [{ backward_pass: 1, order: 1 }] },
      ],
      edges: [],
    },
  };
  assert.deepEqual(tensorsOfStep(run, ["t0", "t4"], { pass: 1 }), ["t0"]);
  assert.deepEqual(tensorsOfStep(run, ["t0", "t4"], { pass: 2 }), ["t4"]);
  assert.deepEqual(tensorsOfStep(run, ["t0", "t4"], { pass: 3 }), ["t0", "t4"]);
  // the earlier version's gradient (the .grad its step read) is known once pass 1's AccumulateGrad ran
  const steps = stepsOf(run);
  const known = (k) => ["t0", "t4"].filter((id) => stateAt(run, steps, k).known.has(id));
  assert.deepEqual([known(2), known(3), known(6)], [[], ["t0"], ["t0", "t4"]]);
});

test("a later pass names a leaf of the snippet's that it adds to, not an x the snippet may hold as data", async () => {
  const { passText } = await import("../../static/js/explain.js");
  const { setLanguage, t } = await import("../../static/js/i18n.js");
  globalThis.document ??= { documentElement: {}, querySelectorAll: () => [], getElementById: () => null };
  // x = data (no grad); w, b leaves; a loop with opt.zero_grad(), then one without it; AccumulateGrad(w) ran in all
  const run = {
    backward_calls: ["backward", "backward", "backward"],
    added_to_grads: [false, false, true],
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", requires_grad: false },
        { id: "t1", kind: "tensor", var: "w", requires_grad: true },
        { id: "t2", kind: "tensor", var: null, requires_grad: true },
      ],
      edges: [],
    },
    backward: {
      nodes: [
        { id: "b0", name: "AccumulateGrad", tensor: "t2", backward_pass: 3, earlier_runs: [] },
        { id: "b1", name: "AccumulateGrad", tensor: "t1", backward_pass: 3, earlier_runs: [{ backward_pass: 1 }, { backward_pass: 2 }] },
      ],
      edges: [],
    },
  };
  for (const language of ["en", "ko"]) {
    setLanguage(language);
    const fresh = passText(run, 2);
    assert.ok(fresh.includes("w.grad = None") && fresh.includes("w.grad.zero_()"), fresh);
    assert.ok(!fresh.includes("x.grad") && !fresh.includes("{leaf}"), fresh);
    assert.ok(passText(run, 3).includes("w.grad = None"), passText(run, 3));
    // a pass that added to no named leaf says it in general
    const unnamed = { ...run, backward: { nodes: [run.backward.nodes[0]], edges: [] } };
    assert.ok(passText(unnamed, 3).includes("tensor.grad = None"), passText(unnamed, 3));
    assert.equal(passText(run, 2), t("step_pass_fresh", { pass: 2, leaf: "w" }));
  }
  setLanguage("en");
});

test("a backward() that ran only after the recording stopped is not said to have stopped with an error", async () => {
  const { introText } = await import("../../static/js/explain.js");
  const { setLanguage, t } = await import("../../static/js/i18n.js");
  globalThis.document ??= { documentElement: {}, querySelectorAll: () => [], getElementById: () => null };
  // total = total + x * 0.001 twenty thousand times, then total.backward(): GraphLimit at line 4, backward unrecorded
  const stopped = { type: "GraphLimit", message: "The graph reached 33678 nodes", line: 4, hint: null };
  const run = {
    status: "limit",
    error: stopped,
    recording_stopped: stopped,
    backward_passes: 1,
    recorded_passes: 0,
    forward: { nodes: [], edges: [] },
    backward: { nodes: [], edges: [] },
  };
  for (const language of ["en", "ko"]) {
    setLanguage(language);
    const said = introText(run, []);
    assert.equal(said, t("step_none_unrecorded", { line: 4 }));
    assert.ok(said.includes("4") && !said.includes("{line}"), said);
  }
  // a backward() that raised before any node ran still says so
  const raised = { ...run, status: "error", error: { type: "RuntimeError", message: "grad can be implicitly created", line: 3 } };
  delete raised.recording_stopped;
  delete raised.recorded_passes;
  assert.equal(introText(raised, []), t("step_none_error"));
  // and so does one that raised in an unrecorded pass (the code's own error, not the recording's limit)
  assert.equal(introText({ ...run, status: "error", error: raised.error }, []), t("step_none_error"));
  setLanguage("en");
});

test("a folded group is said to send a step's gradient only in the backward passes its nodes ran in", () => {
  // a training loop folded: pass 1 and pass 4 shown, passes 2 and 3 in the group; b's AccumulateGrad gets from all
  const group = { id: "r1", kind: "group", label: "matmul → add ×2", members: ["b5", "b6"], passes: [2, 3] };
  const nodes = [group, { id: "b0", kind: "grad_fn" }, { id: "b9", kind: "grad_fn" }];
  const index = {
    run: { backward: { edges: [{ source: "b0", target: "b9" }, { source: "r1", target: "b9" }] } },
    backward: new Map(nodes.map((n) => [n.id, n])),
  };
  assert.deepEqual([...foldedSenders(index, "b9", 1)], []); // (pass 1's gradient came from b0, shown)
  assert.deepEqual([...foldedSenders(index, "b9", 2)], [group]);
  assert.deepEqual([...foldedSenders(index, "b9", 4)], []);
  const older = { ...group, passes: undefined }; // (a view made before groups had passes: as before, any pass)
  index.backward.set("r1", older);
  assert.deepEqual([...foldedSenders(index, "b9", 1)], [older]);
});

test("a leaf three passes add into shows its .grad as each step has it: 4, then 8, then 12", () => {
  // x = tensor(2., requires_grad=True); three times: (x ** 2).backward(), nothing emptied between
  const run = {
    backward_passes: 3,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", grad_fn: null, grad_accumulator: "b1" },
        { id: "t1", kind: "tensor", var: "y", grad_fn: "b0" },
        { id: "t3", kind: "tensor", var: "y", grad_fn: "b2" },
        { id: "t5", kind: "tensor", var: "y", grad_fn: "b4" },
      ],
      edges: [],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "PowBackward0", tensor: "t1", order: 0, backward_pass: 1 },
        { id: "b2", kind: "grad_fn", name: "PowBackward0", tensor: "t3", order: 0, backward_pass: 2 },
        { id: "b4", kind: "grad_fn", name: "PowBackward0", tensor: "t5", order: 0, backward_pass: 3 },
        {
          id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1, backward_pass: 3,
          grad_out: [summary(4)], grad_after: summary(12),
          earlier_runs: [
            { backward_pass: 1, order: 1, grad_out: [summary(4)], grad_after: null },
            { backward_pass: 2, order: 1, grad_out: [summary(4)], grad_after: summary(8) },
          ],
        },
      ],
      edges: [
        { source: "b0", target: "b1", grad: summary(4) },
        { source: "b2", target: "b1", grad: summary(4) },
        { source: "b4", target: "b1", grad: summary(4) },
      ],
    },
  };
  const steps = stepsOf(run);
  const held = (k) => stateAt(run, steps, k).held.get("t0")?.data ?? null;
  const at = (pass, id) => steps.findIndex((s) => s.kind === "node" && s.pass === pass && s.id === id) + 1;
  assert.equal(held(at(1, "b0")), null); // (nothing added yet: "grad ?")
  assert.equal(held(at(1, "b1")), 4); // (nothing was there: what arrived)
  assert.equal(held(at(2, "b2")), 4);
  assert.equal(held(at(2, "b1")), 8);
  assert.equal(held(at(3, "b1")), null); // (its last run: the node's own grad, 12, as drawn)
  // an updated leaf (a version per pass, each with the .grad of its pass) is left to its versions
  const updated = structuredClone(run);
  updated.forward.nodes.push({ id: "t7", kind: "tensor", var: "x", grad_fn: null, grad_accumulator: "b1" });
  assert.equal(stateAt(updated, steps, at(2, "b1")).held.size, 0);
});

test("a node's gradient is known once every sender that runs has run: one that never runs sends nothing", () => {
  // z = y.detach() * x + x ...: here b9 (never run, as y's PowBackward0 under a detach) has an arrow into x's b3
  const run = structuredClone(RUN);
  run.backward.edges.push({ source: "b9", target: "b3", grad: null });
  const steps = stepsOf(run);
  assert.ok(stateAt(run, steps, 2).ready.has("b3")); // (b0 and b1 sent to it: all it gets)
  assert.ok(!stateAt(run, steps, 1).ready.has("b3")); // (b1 has yet to send)
});

// A forged Run (a snippet can send any Run within the server's limits): 2,000 arrows from a node that ran in 20,000
// passes into one leaf. A step looked up the sender's run in its pass once for each arrow, by a copy and a search of
// its runs: 4 s a step here, 20 s for 4,000 arrows and 50,000 runs (6.7 MB), with no end to it as the Run grows.
test("a step of a node with thousands of runs and arrows is worked out in a moment", () => {
  const passes = 20_000;
  const run = {
    backward_passes: passes,
    backward_calls: Array(passes).fill("backward"),
    forward: { nodes: [{ id: "t0", kind: "tensor", var: "x", grad_fn: null, grad_accumulator: "b1" }], edges: [] },
    backward: {
      nodes: [
        {
          id: "b0",
          kind: "grad_fn",
          name: "MulBackward0",
          order: 0,
          backward_pass: passes,
          grad_in: [summary(1)],
          earlier_runs: Array.from({ length: passes - 1 }, (_, k) => ({ backward_pass: k + 1, order: 0, grad_in: [summary(1)] })),
        },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1, backward_pass: passes },
      ],
      edges: Array.from({ length: 2000 }, () => ({ source: "b0", target: "b1", slot: 0, grad: summary(1) })),
    },
  };
  const steps = stepsOf(run);
  const started = performance.now();
  const state = stateAt(run, steps, steps.length - 2); // (in the last pass, its leaf still to run)
  earlierLabels(run, state, (s) => String(s && s.data));
  assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
  assert.equal(state.accumulating.get("b1").paths.length, 2000);
  assert.equal(runIn(run.backward.nodes[0], 12_345).backward_pass, 12_345);
});

// A forged Run: a node that ran in 300,000 passes held its page 17 s as it opened. The step panel is measured by the
// words of the first 40 steps, and each step's state looked through the node's runs (the latest one done, the last
// pass that used an older version of its leaf): read once or twice for the Run, not once a step.
test("the first steps of a node with thousands of runs read its runs once, not once a step", () => {
  const passes = 5000;
  let reads = 0;
  const runs = Array.from({ length: passes - 1 }, (_, k) => ({ backward_pass: k + 1, order: 0, grad_in: [summary(1)], grad_out: [summary(1)] }));
  const counted = new Proxy(runs, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const run = {
    backward_passes: passes,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "w", grad_fn: null, grad_accumulator: "b1" }, // (w before an update)
        { id: "o0", kind: "op", op: "mul" },
        { id: "t2", kind: "tensor", var: "y", grad_fn: "b0" },
        { id: "t1", kind: "tensor", var: "w", grad_fn: null, grad_accumulator: "b1" },
      ],
      edges: [
        { source: "t0", target: "o0" },
        { source: "o0", target: "t2" },
      ],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "MulBackward0", tensor: "t2", order: 0, backward_pass: passes, grad_out: [summary(1)], earlier_runs: counted },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t1", order: 1, backward_pass: passes },
      ],
      edges: [{ source: "b0", target: "b1", slot: 0, grad: summary(1) }],
    },
  };
  const steps = stepsOf(run);
  reads = 0;
  const states = Array.from({ length: 41 }, (_, k) => stateAt(run, steps, k));
  assert.ok(reads <= 2 * passes, `${reads} reads of ${passes - 1} runs`);
  assert.equal(states[2].earlier.get("b0"), 1); // (pass 1 ran it: its label shows that run's gradients)
  assert.equal(states[40].earlier.get("b0"), 20); // (each pass a step of its own and b0's)
});

test("a later pass to leaves no earlier pass reached says their .grad was still None, not that the code emptied it", async () => {
  const { passText } = await import("../../static/js/explain.js");
  const { setLanguage, t } = await import("../../static/js/i18n.js");
  globalThis.document ??= { documentElement: {}, querySelectorAll: () => [], getElementById: () => null };
  // w's two steps with opt.zero_grad(); then x = torch.tensor(2.0, requires_grad=True): (x * x).backward(),
  // x.grad.zero_(), (x * 5).backward(). Pass 3 said x.grad had been emptied "by x.grad = None, x.grad.zero_() or …".
  const run = {
    backward_calls: ["backward", "backward", "backward", "backward"],
    added_to_grads: [false, false, false, false],
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "w", requires_grad: true },
        { id: "t1", kind: "tensor", var: "w", requires_grad: true }, // (w after opt.step(): another version)
        { id: "t2", kind: "tensor", var: "x", requires_grad: true },
      ],
      edges: [],
    },
    backward: {
      nodes: [
        { id: "b0", name: "AccumulateGrad", tensor: "t0", backward_pass: 1, earlier_runs: [] },
        { id: "b1", name: "AccumulateGrad", tensor: "t1", backward_pass: 2, earlier_runs: [] },
        { id: "b2", name: "AccumulateGrad", tensor: "t2", backward_pass: 4, earlier_runs: [{ backward_pass: 3 }] },
      ],
      edges: [],
    },
  };
  for (const language of ["en", "ko"]) {
    setLanguage(language);
    assert.equal(passText(run, 2), t("step_pass_fresh", { pass: 2, leaf: "w" })); // (w by its name: emptied)
    assert.equal(passText(run, 3), t("step_pass_new_leaves", { pass: 3, leaves: "x" }));
    assert.equal(passText(run, 4), t("step_pass_fresh", { pass: 4, leaf: "x" }));
    assert.ok(!passText(run, 3).includes("zero_()"), passText(run, 3));
    // (a leaf with no name may be one an earlier pass reached: said as before)
    const unnamed = structuredClone(run);
    unnamed.forward.nodes[2].var = null;
    assert.equal(passText(unnamed, 3), t("step_pass_fresh", { pass: 3, leaf: "tensor" }));
  }
  setLanguage("en");
});
