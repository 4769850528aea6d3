// What hovering one pane lights in the other, and the words the inspector says, from a Run's JSON.
import assert from "node:assert/strict";
import { test } from "node:test";

import { wordsOf } from "../../static/js/explain.js";
import { LANGUAGES, STRINGS, setLanguage, t } from "../../static/js/i18n.js";
import { backwardSeedLine, gradientSources, indexRun, notes } from "../../static/js/inspector.js";
import { cutUpstream } from "../../static/js/names.js";

const summary = (data) => ({ shape: [], dtype: "float32", data, truncated: false });
// x = tensor(2., requires_grad=True); y = x ** 2; y.backward()
const RUN = {
  backward_passes: 1,
  forward: {
    nodes: [
      { id: "t0", kind: "tensor", var: "x", requires_grad: true, is_leaf: true, version: 0, grad: summary(4), grad_fn: null, grad_accumulator: "b1" },
      { id: "o1", kind: "op", op: "pow" },
      { id: "t2", kind: "tensor", var: "y", requires_grad: true, is_leaf: false, version: 0, grad: summary(1), grad_fn: "b0" },
    ],
    edges: [
      { source: "t0", target: "o1" },
      { source: "o1", target: "t2" },
    ],
  },
  backward: {
    nodes: [
      { id: "b0", kind: "grad_fn", name: "PowBackward0", tensor: "t2", order: 0, saved: [{ name: "self", tensor: "t0" }] },
      { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1 },
    ],
    edges: [{ source: "b0", target: "b1", input_nr: 0 }],
  },
};

test("a tensor links to its grad_fn or AccumulateGrad, an op to the grad_fn of what it made", () => {
  const index = indexRun(RUN);
  assert.deepEqual(index.toBackward.get("t0"), ["b1"]);
  assert.deepEqual(index.toBackward.get("t2"), ["b0"]);
  assert.deepEqual(index.toBackward.get("o1"), ["b0"]);
  assert.deepEqual(index.toForward.get("b0"), ["t2", "o1"]);
  assert.deepEqual(index.savedBy.get("t0").map((s) => s.name), ["self"]);
});

// loss = F.cross_entropy(z, t) with z a leaf: NllLossBackward0 (loss) <- LogSoftmaxBackward0, made inside the op
const INSIDE = {
  forward: {
    nodes: [
      { id: "t0", kind: "tensor", var: "z", grad_fn: null, grad_accumulator: "b2" },
      { id: "o1", kind: "op", op: "cross_entropy" },
      { id: "t2", kind: "tensor", var: "loss", grad_fn: "b0" },
    ],
    edges: [
      { source: "t0", target: "o1" },
      { source: "o1", target: "t2" },
    ],
  },
  backward: {
    nodes: [
      { id: "b0", kind: "grad_fn", name: "NllLossBackward0", tensor: "t2" },
      { id: "b1", kind: "grad_fn", name: "LogSoftmaxBackward0", tensor: null },
      { id: "b2", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0" },
    ],
    edges: [
      { source: "b0", target: "b1", input_nr: 0 },
      { source: "b1", target: "b2", input_nr: 0 },
    ],
  },
};

test("a backward node torch made inside an op links to that op, and no further", () => {
  const index = indexRun(INSIDE);
  assert.deepEqual(index.toForward.get("b1"), ["o1"]);
  assert.deepEqual(index.toBackward.get("o1"), ["b0", "b1"]);
  assert.deepEqual(index.toForward.get("b2"), ["t0"]); // (a leaf's AccumulateGrad: its tensor only)
});

test("a node reached from two ops, or from a cycle a forged run holds, links to none", () => {
  const run = structuredClone(INSIDE);
  run.forward.nodes.push({ id: "o3", kind: "op", op: "mul" }, { id: "t4", kind: "tensor", var: "w", grad_fn: "b3" });
  run.forward.edges.push({ source: "o3", target: "t4" });
  run.backward.nodes.push({ id: "b3", kind: "grad_fn", name: "MulBackward0", tensor: "t4" });
  run.backward.edges.push({ source: "b3", target: "b1", input_nr: 0 });
  assert.equal(indexRun(run).toForward.get("b1"), undefined);
  const cycle = structuredClone(INSIDE);
  cycle.backward.nodes.push({ id: "b4", kind: "grad_fn", name: "AddBackward0", tensor: null });
  cycle.backward.edges.push({ source: "b1", target: "b4", input_nr: 0 }, { source: "b4", target: "b1", input_nr: 1 });
  assert.equal(indexRun(cycle).toForward.get("b4"), undefined);
});

test("the inspector says what a leaf and a non-leaf are", () => {
  const index = indexRun(RUN);
  assert.deepEqual(notes(index, index.forward.get("t0")), [t("note_leaf")]);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_nonleaf")]);
});

test("a non-leaf tensor the code called retain_grad() on is told PyTorch keeps its .grad", () => {
  const run = structuredClone(RUN);
  run.forward.nodes[2].retains_grad = true;
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_nonleaf_retained")]);
});

test("a non-leaf tensor with no gradient yet is not told of 'the gradient shown here'", () => {
  // the seed's detach example: y = x ** 2 with no backward() call
  const run = structuredClone(RUN);
  run.backward_passes = 0;
  run.forward.nodes[2].grad = null;
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_nonleaf_no_grad"), t("note_no_backward")]);
  for (const lang of LANGUAGES) {
    assert.ok(!STRINGS[lang].note_nonleaf_no_grad.includes("gradwalk"), lang); // (nothing was captured)
  }
});

test("a tensor a paused loop's last pass made says so, with or without the gradient that flowed into it", () => {
  const run = structuredClone(RUN);
  run.recorded_passes = 3;
  run.forward.nodes[2].grad_fn = null;
  let index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_nonleaf"), t("note_unrecorded_pass_grad")]);
  run.forward.nodes[2].grad = null;
  index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_nonleaf_no_grad"), t("note_unrecorded_pass")]);
});

test("an optimizer's step op says what it does; another op under no_grad says it ran there", () => {
  const index = indexRun(RUN);
  const op = (name) => ({ id: "o9", kind: "op", op: name, no_grad: true, cut: false });
  assert.deepEqual(notes(index, op("Adam.step")), [t("note_op_step")]);
  assert.deepEqual(notes(index, op("add_")), [t("note_op_no_grad")]);
});

test("every string is in every language, with the same placeholders", () => {
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const lang of LANGUAGES) {
    assert.deepEqual(Object.keys(STRINGS[lang]).sort(), Object.keys(STRINGS.en).sort(), lang);
    for (const [key, text] of Object.entries(STRINGS[lang])) {
      assert.deepEqual(placeholders(text), placeholders(STRINGS.en[key]), `${lang}.${key}`);
    }
  }
});

test("a leaf no gradient reached is told where what was made from it was cut off", () => {
  // x = tensor(2., requires_grad=True); h = (x * 3).detach(); out = h * w (line 3); out.backward()
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: true, is_leaf: false, grad: null, ...extra });
  const run = {
    backward_passes: 1,
    forward: {
      nodes: [
        tensor("t0", { var: "x", is_leaf: true }),
        { id: "o1", kind: "op", op: "mul", line: 2 },
        tensor("t2"),
        { id: "o3", kind: "op", op: "detach", line: 2, cut: true },
        tensor("t4", { var: "h", requires_grad: false }),
        tensor("t5", { var: "w", is_leaf: true }),
        { id: "o6", kind: "op", op: "mul", line: 3 },
        tensor("t7", { var: "out", grad_fn: "b0" }),
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" }, { source: "t2", target: "o3" }, { source: "o3", target: "t4" },
        { source: "t4", target: "o6" }, { source: "t5", target: "o6" }, { source: "o6", target: "t7" },
      ],
    },
    backward: { nodes: [{ id: "b0", kind: "grad_fn", name: "MulBackward0", order: 0 }], edges: [] },
  };
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t0")), [t("note_leaf"), t("note_unreached_cut", { line: 2, how: ".detach()" })]);
  assert.match(t("note_unreached_cut", { line: 2, how: ".detach()" }), /line 2 \(\.detach\(\)\)/);
  run.forward.nodes[3].cut = false; // (no cut after it: backward simply did not run through it)
  assert.deepEqual(notes(indexRun(run), index.forward.get("t0")), [t("note_leaf"), t("note_unreached")]);
  // (what was made after the cut went into nothing backward ran through: `W.T @ W < 1e-5` after the last backward())
  run.forward.nodes[3].cut = true;
  run.backward.nodes[0].order = null;
  assert.deepEqual(notes(indexRun(run), index.forward.get("t0")), [t("note_leaf"), t("note_unreached")]);
});

test("a frozen parameter's nodes say backward goes on past it, not that it was cut off as a copy is", () => {
  // model[2].weight.requires_grad_(False) on line 3; loss = (h @ W.T).sum() with h made from x; loss.backward()
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: true, is_leaf: false, grad: null, version: 0, ...extra });
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const run = {
    backward_passes: 1,
    forward: {
      nodes: [
        tensor("t0", { var: "model.2.weight", is_leaf: true }),
        { id: "o1", kind: "op", op: "requires_grad_", line: 3, cut: true },
        tensor("t2", { var: "model.2.weight", is_leaf: true, requires_grad: false }),
        tensor("t3", { var: "h", grad: one, grad_fn: "b1" }),
        { id: "o4", kind: "op", op: "linear", line: 4 },
        tensor("t5", { var: "loss", grad: one, grad_fn: "b0" }),
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o4"], ["t3", "o4"], ["o4", "t5"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "MmBackward0", tensor: "t5", order: 0 },
        { id: "b1", kind: "grad_fn", name: "ReluBackward0", tensor: "t3", order: 1 },
      ],
      edges: [{ source: "b0", target: "b1", input_nr: 0 }],
    },
  };
  const index = indexRun(run);
  const said = { line: 3, how: "requires_grad=False" };
  assert.deepEqual(notes(index, index.forward.get("t0")), [t("note_leaf"), t("note_unreached_frozen", said)]);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_frozen_here", said)]);
  // (nn.Linear initialised the weight in place, version 1, and backward never reached it: no AccumulateGrad to know it
  // by; neither node says the code changed it in place)
  for (const node of run.forward.nodes.slice(0, 3)) node.version = 1;
  const initialised = indexRun(run);
  assert.deepEqual(notes(initialised, initialised.forward.get("t0")), [t("note_leaf"), t("note_unreached_frozen", said)]);
  assert.deepEqual(notes(initialised, initialised.forward.get("t2")), [t("note_frozen_here", said)]);
  for (const key of ["note_unreached_frozen", "note_frozen_here"]) {
    assert.match(STRINGS.en[key], /Freezing is no cut like \.detach\(\): backward goes on/);
    assert.match(STRINGS.ko[key], /\.detach\(\)처럼 그래프를 끊는 것은 아니어서/);
  }
  // (a frozen backbone fed plain inputs: no tensor before it requires grad, and "it goes on … to the tensors before them
  // that require grad" sent the learner looking for tensors there are none of)
  for (const key of ["note_unreached_frozen", "note_frozen_here", "grad_none_frozen"]) {
    assert.match(STRINGS.en[key], /any tensor before them that requires grad; where none does \(frozen layers fed plain inputs\), it ends/);
    assert.match(STRINGS.ko[key], /그런 텐서가 없으면\(고정한 층에 평범한 입력을 넣었을 때처럼\) 역전파는 (거기서|여기서) 끝납니다/);
  }
});

test("a tensor made from frozen parameters alone is said to be made from a frozen one, not from one cut off", () => {
  // layer.weight.requires_grad_(False) on line 2; merged = layer(x) on line 5, x a constant: nothing was cut off, and
  // merged was said to be "made from a tensor cut off from the graph on line 2 by requires_grad=False"; the step list
  // (explain.js) takes cutUpstream's words as well
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: false, is_leaf: true, grad: null, version: 0, ...extra });
  const run = {
    backward_passes: 1,
    forward: {
      nodes: [
        tensor("t0", { var: "layer.weight", requires_grad: true }),
        { id: "o1", kind: "op", op: "requires_grad_", line: 2, cut: true },
        tensor("t2", { var: "layer.weight" }),
        tensor("t3", { var: "x" }),
        { id: "o4", kind: "op", op: "linear", line: 5 },
        tensor("t5", { var: "merged", is_leaf: false }),
        { id: "o6", kind: "op", op: "detach", line: 6, cut: true },
        tensor("t7", { var: "d", is_leaf: false, requires_grad: true }),
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o4"], ["t3", "o4"], ["o4", "t5"]].map(([source, target]) => ({ source, target })),
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  const said = { line: 2, how: "requires_grad=False" };
  assert.deepEqual(notes(index, index.forward.get("t5")), [t("note_made_from_frozen", said)]);
  assert.equal(cutUpstream(index, index.forward.get("t5")).frozen, true);
  assert.equal(cutUpstream(index, index.forward.get("t2")).frozen, true);
  for (const key of ["note_made_from_frozen", "input_frozen", "input_frozen_above"]) {
    assert.doesNotMatch(STRINGS.en[key], /cut off/);
    assert.doesNotMatch(STRINGS.ko[key], /끊/);
  }
  // (a copy's cut is still one: `d = merged.detach()` … made from it)
  run.forward.nodes[7].requires_grad = false;
  run.forward.edges.push({ source: "t5", target: "o6" }, { source: "o6", target: "t7" });
  const copied = indexRun(run);
  assert.equal(cutUpstream(copied, copied.forward.get("t7")).frozen, undefined);
});

test("a tensor changed in place under no_grad keeps its grad_fn and is not said to be made by an autograd.Function", () => {
  // w = tensor([1., 3.], requires_grad=True); h = w * 1; with torch.no_grad(): h.mul_(2) (line 4); h.sum().backward()
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const h = (id, version) => ({ id, kind: "tensor", var: "h", requires_grad: true, is_leaf: false, grad: one, grad_fn: "b1", version });
  const run = {
    backward_passes: 1,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "w", requires_grad: true, is_leaf: true, grad: one, grad_accumulator: "b2", version: 0 },
        { id: "o1", kind: "op", op: "mul", line: 2 },
        h("t2", 0),
        { id: "o3", kind: "op", op: "mul_", line: 4, no_grad: true },
        h("t4", 1),
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o3"], ["o3", "t4"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "b1", kind: "grad_fn", name: "MulBackward0", tensor: "t4", order: 1 },
        { id: "b2", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 2 },
      ],
      edges: [{ source: "b1", target: "b2", input_nr: 0 }],
    },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t4"));
  assert.ok(said.includes(t("note_changed_no_grad", { op: "mul_", line: 4, how: "torch.no_grad()" })), said);
  assert.ok(!said.includes(t("note_function_output_inside", { grad_fn: "MulBackward0" })), said);
});

test("a custom Function's output that forward() changed in place and returned is said to be made by the Function", () => {
  // forward(ctx, x): ctx.mark_dirty(x); x.mul_(2) (line 5); return x. y = Double.apply(a) (line 12): y, drawn with no op
  // (its forward line 5), was said to be a gradient a backward pass computed with create_graph=True; drawn made by the
  // Function's op, `Double.apply` on line 12, from a as forward() left it, nothing was said of where it came from
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const a = { id: "t3", kind: "tensor", var: "a", requires_grad: true, is_leaf: false, grad: null, grad_fn: "b0", line: 5, version: 1 };
  const apply = { id: "o4", kind: "op", op: "Double.apply", line: 12, no_grad: false, cut: false, non_differentiable: false };
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    forward: {
      nodes: [a, apply, { id: "t5", kind: "tensor", var: "y", requires_grad: true, is_leaf: false, grad: one, grad_fn: "b2", line: 12, forward_line: 5, version: 2 }],
      edges: [{ source: "t3", target: "o4" }, { source: "o4", target: "t5" }],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "MulBackward0", tensor: "t3", order: 2 },
        { id: "b2", kind: "grad_fn", name: "DoubleBackward", tensor: "t5", order: 1 },
      ],
      edges: [],
    },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t5"));
  assert.ok(said.includes(t("note_function_output", { line: 12, forward_line: 5, grad_fn: "DoubleBackward" })), said);
  assert.ok(!said.some((text) => text.includes("create_graph=True")), said);
});

test("a tensor that a long loop under no_grad was made from is told why no gradient reached it in one walk", () => {
  // w (requires grad, backward ran through it); v = w * 2; then 2,000 times `v = v + 1` under no_grad: each op met
  // on the way from v was a walk on through all the ops after it (5 s on hovering v at 8,000 steps)
  const n = 2000;
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: false, is_leaf: true, grad: null, ...extra });
  const nodes = [
    tensor("w", { var: "w", requires_grad: true, grad_accumulator: "b1" }),
    { id: "om", kind: "op", op: "mul", line: 2 },
    tensor("loss", { var: "loss", requires_grad: true, is_leaf: false, grad_fn: "b0" }),
    { id: "ov", kind: "op", op: "mul", line: 4 },
    tensor("v", { var: "v", requires_grad: true, is_leaf: false, grad_fn: "b2" }),
  ];
  const edges = [{ source: "w", target: "om" }, { source: "om", target: "loss" }, { source: "w", target: "ov" }, { source: "ov", target: "v" }];
  for (let i = 0, last = "v"; i < n; i += 1, last = `x${i - 1}`) {
    nodes.push({ id: `o${i}`, kind: "op", op: "add", line: 7, no_grad: true }, tensor(`x${i}`, { var: "v" }));
    edges.push({ source: last, target: `o${i}` }, { source: `o${i}`, target: `x${i}` });
  }
  const backward = {
    nodes: [
      { id: "b0", kind: "grad_fn", name: "SumBackward0", order: 0 },
      { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "w", order: 1 },
      { id: "b2", kind: "grad_fn", name: "MulBackward0", order: null },
    ],
    edges: [{ source: "b0", target: "b1", input_nr: 0 }, { source: "b2", target: "b1", input_nr: 0 }],
  };
  const index = indexRun({ backward_passes: 1, forward: { nodes, edges }, backward });
  let looked = 0; // (the ops' inputs and outputs looked up: work counted, not timed)
  for (const map of [index.inputs, index.outputs]) {
    const get = map.get.bind(map);
    map.get = (key) => ((looked += 1), get(key));
  }
  assert.deepEqual(notes(index, index.forward.get("v")), [t("note_nonleaf_no_grad"), t("note_unreached")]);
  assert.ok(looked < 10 * n, `${looked} look-ups for ${n} ops`);
});

test("an earlier version of a parameter with a gradient says which .grad it shows", () => {
  const leaf = (id, grad) => ({ id, kind: "tensor", var: "w", requires_grad: true, is_leaf: true, grad_accumulator: "b9", grad, version: 0 });
  const s = { shape: [], dtype: "float32", data: -8, truncated: false };
  const run = { backward_passes: 2, forward: { nodes: [leaf("t0", s), leaf("t4", s)], edges: [] }, backward: { nodes: [], edges: [] } };
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t0")), [t("note_leaf"), t("note_older_version_grad")]);
  assert.deepEqual(notes(index, index.forward.get("t4")), [t("note_leaf")]); // (the newest: its final .grad)
  // (clip_grad_norm_ between backward and step: the step read the clipped .grad, not this version's)
  const clipped = indexRun({ ...run, code: "w.grad = None\nloss.backward()\ntorch.nn.utils.clip_grad_norm_([w], 1.0)\nopt.step()\n" });
  const said = { line: 3, call: "clip_grad_norm_" };
  assert.deepEqual(notes(clipped, clipped.forward.get("t0")), [t("note_leaf"), t("note_older_version_grad_clipped", said)]);
  assert.match(t("note_older_version_grad_clipped", said), /clip_grad_norm_ on line 3 then changed \.grad, so the change read the clipped gradient/);
});

test("a leaf whose .grad the code changed after backward (clip_grad_norm_) says what backward left and who changed it", () => {
  // w = tensor([3., 4.], requires_grad=True); (w * 10).sum().backward(); clip_grad_norm_([w], 1.0)
  const grad = (data) => ({ shape: [2], dtype: "float32", data, truncated: false });
  const run = (after, code) => ({
    code,
    backward_passes: 1,
    forward: {
      nodes: [{ id: "t0", kind: "tensor", var: "w", requires_grad: true, is_leaf: true, version: 0, grad: grad(after), grad_accumulator: "b1" }],
      edges: [],
    },
    backward: { nodes: [{ id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1, grad_out: [grad([10, 10])] }], edges: [] },
  });
  const code = "w = torch.tensor([3.0, 4.0], requires_grad=True)\n(w * 10).sum().backward()\n# clip_grad_norm_(w)\ntorch.nn.utils.clip_grad_norm_([w], 1.0)\n";
  const clipped = indexRun(run([0.70711, 0.70711], code));
  const said = { name: "w", before: "[10, 10]", after: "[0.70711, 0.70711]", line: 4, call: "clip_grad_norm_" };
  assert.deepEqual(notes(clipped, clipped.forward.get("t0")), [t("note_leaf"), t("note_grad_changed_by", said)]);
  assert.match(t("note_grad_changed_by", said), /put \[10, 10\] there, and clip_grad_norm_ on line 4 changed it to \[0\.70711, 0\.70711\]/);
  const scaled = indexRun(run([5, 5], "w.grad /= 2\n")); // (by the code's own hand: no line named)
  assert.deepEqual(notes(scaled, scaled.forward.get("t0")), [t("note_leaf"), t("note_grad_changed", { ...said, after: "[5, 5]", line: null, call: null })]);
  const kept = indexRun(run([10, 10.000001], code)); // (what backward left, up to float rounding: nothing said)
  assert.deepEqual(notes(kept, kept.forward.get("t0")), [t("note_leaf")]);
});

test("a backward node with no tensor of the snippet's is titled by what its explanation calls its output", async () => {
  const { nodeTitle } = await import("../../static/js/explain.js");
  const index = indexRun(RUN);
  assert.equal(nodeTitle(index, RUN.backward.nodes[0]), "PowBackward0 (y)");
  assert.equal(nodeTitle(index, { id: "b2", name: "MulBackward1", tensor: null, expr: "x² · 3" }), "MulBackward1 (x² · 3)");
  assert.equal(nodeTitle(index, { id: "b3", name: "CloneBackward0", tensor: null }), "CloneBackward0");
});

test("the non-leaf .grad warning names the tensor that is no leaf, of those its line reads", async () => {
  const { warningHint } = await import("../../static/js/viewer.js");
  const stderr = "<snippet>:4: UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.\n  print(w.grad, h.grad)\n";
  assert.equal(warningHint(stderr, (name) => name === "w"), t("warn_non_leaf_grad", { name: "h" }));
  assert.equal(warningHint(stderr, () => false), t("warn_non_leaf_grad_unnamed"));
  // (the one it names gets a link to its node, where the gradient that reached it is shown)
  const { warnedName } = await import("../../static/js/viewer.js");
  assert.equal(warnedName(stderr, (name) => name === "w"), "h");
  assert.equal(warnedName(stderr, () => false), null);
});

test("the non-leaf .grad warning on a copy (.to(), .double()) of a leaf says where its gradient went", async () => {
  // `w = torch.tensor([1.0, 2.0], requires_grad=True).to(torch.float64)`: w.grad is None (a warning), and the note said
  // only that an operation made w; the gradient went on into the leaf it was copied from (torch: its .grad is [3, 3])
  const { copiedFrom, warningHint } = await import("../../static/js/viewer.js");
  const run = {
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: null, expr: "torch.tensor(…)", is_leaf: true, requires_grad: true },
        { id: "o1", kind: "op", op: "to" },
        { id: "t2", kind: "tensor", var: "w", is_leaf: false, requires_grad: true },
        { id: "o3", kind: "op", op: "mul" },
        { id: "t4", kind: "tensor", var: "h", is_leaf: false, requires_grad: true },
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o3"], ["o3", "t4"]].map(([source, target]) => ({ source, target })),
    },
    backward: { nodes: [], edges: [] },
  };
  const copied = copiedFrom(indexRun(run));
  assert.deepEqual(copied("w"), { how: "to", from: "torch.tensor(…)" });
  assert.equal(copied("h"), null); // (mul made it: no copy)
  const stderr = "<snippet>:4: UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.\n  print(w.grad)\n";
  assert.equal(
    warningHint(stderr, () => false, copied),
    `${t("warn_non_leaf_grad", { name: "w" })} Here w is a copy that .to() made of torch.tensor(…): a copy is not a leaf, and the gradient that reached w went on into torch.tensor(…).grad.`,
  );
  run.forward.nodes[0].requires_grad = false; // (a copy of a constant: its gradient goes nowhere)
  assert.equal(copiedFrom(indexRun(run))("w"), null);
});

test("the non-leaf .grad warning on a name rebound to what its leaf made (x = x * 2) says where the gradient went", async () => {
  // `x = torch.ones(3, requires_grad=True)`, `x = x * 2`, backward, `print(x.grad)`: None, and the note said only that
  // an operation made x; the gradient went into the leaf the name held before, which no name reaches now
  const { copiedFrom, warningHint } = await import("../../static/js/viewer.js");
  const run = {
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", is_leaf: true, requires_grad: true, line: 1 },
        { id: "o1", kind: "op", op: "mul", line: 2 },
        { id: "t2", kind: "tensor", var: "x", is_leaf: false, requires_grad: true, line: 2 },
        { id: "o3", kind: "op", op: "mul", line: 3 },
        { id: "t4", kind: "tensor", var: "h", is_leaf: false, requires_grad: true, line: 3 },
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o3"], ["o3", "t4"]].map(([source, target]) => ({ source, target })),
    },
    backward: { nodes: [], edges: [] },
  };
  const copied = copiedFrom(indexRun(run));
  assert.deepEqual(copied("x"), { rebound: true, line: 2 });
  assert.equal(copied("h"), null); // (made from x, another name)
  const stderr = "<snippet>:5: UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.\n  print(x.grad)\n";
  const lines = ["x = torch.ones(3, requires_grad=True)", "x = x * 2", "h = x * 3", "h.sum().backward()", "print(x.grad)"];
  const hint = warningHint(stderr, () => false, copied, lines);
  assert.equal(hint, `${t("warn_non_leaf_grad_rebound", { name: "x" })} ${t("warn_rebound_grad", { name: "x", line: 2, code: "x = x * 2" })}`);
  // (the code's own line, not a stand-in; and no advice to make x a leaf: it was one, before line 2)
  assert.match(hint, /Here line 2 \(`x = x \* 2`\) bound the name x to a new tensor computed from the leaf/);
  assert.doesNotMatch(hint, /x2 = |requires_grad_\(\)/);
  // a line that reads the leaf's .grad is a training step by hand (`w = w - 0.1 * w.grad`): how to take one is said
  lines[1] = "    x = x - 0.1 * x.grad";
  const step = warningHint(stderr, () => false, copied, lines);
  assert.match(step, /Here line 2 \(`x = x - 0\.1 \* x\.grad`\) bound the name x/);
  assert.match(step, /`with torch\.no_grad\(\): x -= lr \* x\.grad`, then `x\.grad\.zero_\(\)` before the next backward\(\)/);
  globalThis.document ??= { documentElement: {}, querySelectorAll: () => [], getElementById: () => null };
  try {
    setLanguage("ko");
    assert.match(warningHint(stderr, () => false, copied, lines), /2번 줄\(`x = x - 0\.1 \* x\.grad`\)이 .* `with torch\.no_grad\(\): x -= lr \* x\.grad`/);
  } finally {
    setLanguage("en");
  }
  run.forward.nodes[0].requires_grad = false; // (a constant rebound: no gradient went anywhere)
  assert.equal(copiedFrom(indexRun(run))("x"), null);
});

test("code Python could not read never ran; a SyntaxError raised as the code ran came after lines that did", async () => {
  const { neverRan } = await import("../../static/js/viewer.js");
  const empty = { nodes: [], edges: [] };
  const run = (type, more = {}) => ({ status: "error", error: { type }, stdout: "", stderr: "", forward: empty, ...more });
  for (const type of ["SyntaxError", "IndentationError", "TabError"]) assert.equal(neverRan(run(type)), true, type);
  assert.equal(neverRan(run("RuntimeError")), false);
  assert.equal(neverRan(run("SyntaxError", { stdout: "1\n" })), false); // (eval("(") after a print)
  assert.equal(neverRan(run("SyntaxError", { forward: { nodes: [{ id: "t0" }], edges: [] } })), false);
  assert.equal(neverRan({ status: "ok", error: null, stdout: "", stderr: "", forward: empty }), false);
});

test("a tensor made from one the code cut off says where the cut was, however many ops later", async () => {
  const { cutUpstream } = await import("../../static/js/names.js");
  // a = x * 1 (needs grad); b = a.detach() * 2 (line 5); c = b + 1
  const tensor = (id, requires_grad) => ({ id, kind: "tensor", requires_grad });
  const run = {
    forward: {
      nodes: [tensor("x", true), { id: "o1", kind: "op", op: "detach", cut: true, line: 5 }, tensor("d", false), { id: "o2", kind: "op", op: "mul", line: 5 }, tensor("b", false), { id: "o3", kind: "op", op: "add", line: 6 }, tensor("c", false)],
      edges: [
        { source: "x", target: "o1" },
        { source: "o1", target: "d" },
        { source: "d", target: "o2" },
        { source: "o2", target: "b" },
        { source: "b", target: "o3" },
        { source: "o3", target: "c" },
      ],
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  assert.deepEqual({ ...cutUpstream(index, index.forward.get("c")), op: undefined }, { op: undefined, line: 5, how: ".detach()" });
  assert.equal(cutUpstream(index, index.forward.get("d")).op.id, "o1");
  assert.ok(notes(index, index.forward.get("c"))[0].includes(".detach()"));
  assert.equal(cutUpstream(index, index.forward.get("x")), null);
});

// w = tensor(.., requires_grad=True) (line 1); h = (w * x).detach() (line 2); u = tensor(.., requires_grad=True), used
// by nothing; v = tensor(.., requires_grad=True); other = v * 3, never backward()'d; z = h.sum() + b; z.backward()
function leafRun() {
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: true, is_leaf: true, grad: null, version: 0, ...extra });
  const op = (id, name, line, extra = {}) => ({ id, kind: "op", op: name, line, ...extra });
  const grad = { shape: [], dtype: "float32", data: 1, truncated: false };
  const edges = (...pairs) => pairs.map(([source, target]) => ({ source, target }));
  return {
    backward_passes: 1,
    backward_calls: ["backward"],
    forward: {
      nodes: [
        tensor("w", { var: "w", grad_accumulator: "bw" }),
        op("o1", "mul", 2),
        tensor("wx", { is_leaf: false, expr: "w * x", grad_fn: "bm" }),
        op("o2", "detach", 2, { cut: true }),
        tensor("h", { var: "h", requires_grad: false }),
        tensor("u", { var: "u" }),
        tensor("v", { var: "v", grad_accumulator: "bv" }),
        op("o3", "mul", 4),
        tensor("other", { var: "other", is_leaf: false, grad_fn: "bo" }),
        tensor("b", { var: "b", grad: grad, grad_accumulator: "bb" }),
        op("o4", "add", 5),
        tensor("z", { var: "z", is_leaf: false, grad: grad, grad_fn: "bz" }),
      ],
      edges: edges(["w", "o1"], ["o1", "wx"], ["wx", "o2"], ["o2", "h"], ["v", "o3"], ["o3", "other"], ["h", "o4"], ["b", "o4"], ["o4", "z"]),
    },
    backward: {
      nodes: [
        { id: "bm", kind: "grad_fn", name: "MulBackward0", tensor: "wx", order: null },
        { id: "bw", kind: "grad_fn", name: "AccumulateGrad", tensor: "w", order: null },
        { id: "bo", kind: "grad_fn", name: "MulBackward0", tensor: "other", order: null },
        { id: "bv", kind: "grad_fn", name: "AccumulateGrad", tensor: "v", order: null },
        { id: "bz", kind: "grad_fn", name: "AddBackward0", tensor: "z", order: 0, seed: [grad] },
        { id: "bb", kind: "grad_fn", name: "AccumulateGrad", tensor: "b", order: 1 },
      ],
      edges: [
        { source: "bm", target: "bw", slot: 0 },
        { source: "bo", target: "bv", slot: 0 },
        { source: "bz", target: "bb", slot: 1 },
      ],
    },
  };
}

test("a tensor whose values the code took out of the graph, or one made of such values or cut by torch.tensor(), says so", async () => {
  // `k = m.item()`: m "was not used to compute what backward() was called on", though k was; `torch.tensor(x * 2)`'s and
  // `torch.tensor(x.detach().numpy())`'s results were said only not to require grad
  const { valuesOut } = await import("../../static/js/inspector.js");
  const run = leafRun();
  run.forward.nodes.push(
    { id: "a", kind: "tensor", var: "a", requires_grad: false, is_leaf: true, grad: null, version: 0, line: 7 },
    { id: "o5", kind: "op", op: "tensor", line: 8, cut: true },
    { id: "c", kind: "tensor", var: "c", requires_grad: false, is_leaf: true, grad: null, version: 0, line: 8 },
  );
  run.forward.edges.push({ source: "b", target: "o5" }, { source: "o5", target: "c" });
  run.code = "w = t()\nh = (w * x).detach()\nu = t()\nother = v * 2\nz = h + b\nk = other.item()  # out\na = torch.tensor(w.detach().numpy())\nc = torch.tensor(b)\n";
  const index = indexRun(run);
  assert.ok(notes(index, index.forward.get("other")).includes(t("note_unreached_values_out", { how: "other.item()", line: 6 })));
  // (and v, which other was made from: it was said "not used to compute what backward() was called on")
  assert.ok(notes(index, index.forward.get("v")).includes(t("note_unreached_values_out_made", { how: "other.item()", line: 6, name: "other" })));
  assert.deepEqual(notes(index, index.forward.get("a")), [t("note_made_from_values_out", { how: "w.detach().numpy()", line: 7 })]);
  assert.deepEqual(notes(index, index.forward.get("c")), [t("note_cut_here", { how: "torch.tensor()", line: 8 })]);
  run.code = run.code.replace("other.item()", "another.item()").replace("w.detach().numpy()", "[1.0]");
  const plain = indexRun(run);
  assert.ok(notes(plain, plain.forward.get("other")).includes(t("note_unreached")));
  assert.ok(notes(plain, plain.forward.get("v")).includes(t("note_unreached")));
  assert.deepEqual(notes(plain, plain.forward.get("a")), [t("note_constant")]);
  // a name no tensor of the run has took no values out of a graph (a pandas frame's, a NumPy array's)
  run.code = run.code.replace("[1.0]", "df.values.tolist()");
  const frame = indexRun(run);
  assert.deepEqual(notes(frame, frame.forward.get("a")), [t("note_constant")]);
  run.code = run.code.replace("df.values.tolist()", "df.values.tolist() + w[0].item()");
  const both = indexRun(run);
  assert.deepEqual(notes(both, both.forward.get("a")), [t("note_made_from_values_out", { how: "w[0].item()", line: 7 })]);
  assert.deepEqual(valuesOut({ code: "k = float( m )\n" }, { var: "m", line: 1 }), { how: "float(m)", line: 1 });
  assert.deepEqual(valuesOut({ code: "k = m.cpu().tolist()\n" }, { var: "m", line: 1 }), { how: "m.cpu().tolist()", line: 1 });
  assert.equal(valuesOut({ code: "k = sum.item() + m.item2()\n" }, { var: "m", line: 1 }), null);
});

test("each leaf with no .grad after backward() is told why: the cut on its way, no use at all, a graph never run", async () => {
  const { missingGrads } = await import("../../static/js/inspector.js");
  const said = (run) => missingGrads(indexRun(run)).map((f) => [f.leaf.var, f.kind, f.roots.join(), f.cut?.id ?? f.other?.id ?? null]);
  const run = leafRun();
  assert.deepEqual(said(run), [
    ["w", "cut", "z", "o2"], // (b has its .grad: nothing to say)
    ["u", "unused", "z", null],
    ["v", "not_run", "z", "other"],
  ]);
  run.forward.nodes[3] = { ...run.forward.nodes[3], op: "argmax", cut: false, non_differentiable: true };
  assert.equal(said(run)[0][1], "no_gradient");
  const called = leafRun();
  called.backward_calls = ["grad"]; // torch.autograd.grad() fills no .grad: no leaf is missing one
  assert.deepEqual(said(called), []);
  called.code = "print(w.grad, b.grad)\n"; // unless the code reads it: then it is told grad() returned it
  assert.deepEqual(said(called).map((f) => [f[0], f[1]]), [["w", "returned"]]); // (b has its .grad)
  called.backward_calls = ["grad", "backward"]; // (not grad() alone)
  assert.deepEqual(said(called).map((f) => f[1]).includes("returned"), false);
  const emptied = leafRun(); // w's AccumulateGrad ran, and the code emptied w.grad since (zero_grad()): not missing
  emptied.backward.nodes[1].order = 2;
  assert.deepEqual(said(emptied).map((f) => f[0]), ["u", "v"]);
});

test("a leaf behind a custom Function whose backward raised is told of the error, not of a cut in its forward", async () => {
  // class Bad(autograd.Function): forward returns x * 2 (run under no_grad, as PyTorch runs every forward()), backward
  // raises; y = Bad.apply(x).sum(); y.backward(). x.grad was said to be None for a cut "under torch.no_grad()" on the
  // forward's line, and that line was marked as the cut: the backward graph links x to y through BadBackward.
  const { missingGrads } = await import("../../static/js/inspector.js");
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: true, is_leaf: false, grad: null, version: 0, ...extra });
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    error: { type: "ValueError", message: "oops", line: 8, backward_pass: 1 },
    forward: {
      nodes: [
        tensor("t0", { var: "x", is_leaf: true, grad_accumulator: "b1", line: 10 }),
        { id: "o1", kind: "op", op: "mul", line: 4, no_grad: true },
        tensor("t2", { expr: "Bad.apply(x)", grad_fn: "b0", line: 11, forward_line: 4 }),
        { id: "o3", kind: "op", op: "sum", line: 11 },
        tensor("t4", { var: "y", grad_fn: "b2", line: 11, grad: summary(1) }),
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o3"], ["o3", "t4"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "BadBackward", tensor: "t2", order: null, raised_in_pass: 1 },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: null },
        { id: "b2", kind: "grad_fn", name: "SumBackward0", tensor: "t4", order: 0, grad_out: [summary(1)] },
      ],
      edges: [
        { source: "b2", target: "b0", slot: 0 },
        { source: "b0", target: "b1", slot: 0 },
      ],
    },
  };
  const index = indexRun(run);
  assert.deepEqual(missingGrads(index).map((f) => [f.leaf.var, f.kind, f.cut?.id ?? f.other?.id ?? null]), [["x", "stopped", "b0"]]);
  assert.ok(!notes(index, index.forward.get("t0")).some((note) => /no_grad/.test(note)));
  // its backward returns None for x instead: backward ran through, x's AccumulateGrad got None (the page printed
  // `None` and said nothing of why)
  delete run.error;
  run.backward.nodes[0] = { ...run.backward.nodes[0], order: 1, raised_in_pass: null, grad_out: [summary(1)], grad_in: [null] };
  run.backward.nodes[1] = { ...run.backward.nodes[1], order: 2, grad_out: [null], grad_in: [] };
  assert.deepEqual(missingGrads(indexRun(run)).map((f) => [f.leaf.var, f.kind, f.other?.id ?? null]), [["x", "not_sent", "b0"]]);
  // and x's own notes say so (they said x "was not used to compute what backward() was called on")
  const sent = indexRun(run);
  assert.deepEqual(notes(sent, sent.forward.get("t0")).filter((note) => /^No gradient/.test(note)), [
    t("note_unreached_not_sent", { node: "BadBackward (Bad.apply(x))" }),
  ]);
  run.backward.nodes[1].grad_out = [summary(2)]; // (it got a gradient, and the code emptied .grad since: nothing to say)
  assert.deepEqual(missingGrads(indexRun(run)), []);
  assert.match(STRINGS.ko.grad_none_not_sent, /\{link\} 노드가 그래디언트 대신 None을 보냈습니다/);
});

test("a leaf whose values the code took out (.numpy(), .tolist()) is told so, not that it was unused", async () => {
  // y = torch.from_numpy(np.sin(x.detach().numpy())).requires_grad_(); loss from y: x.grad was said to be None because
  // x "is not used to compute loss", which the code did, through values taken out of the graph
  const { missingGrads } = await import("../../static/js/inspector.js");
  const said = (run) => missingGrads(indexRun(run)).map((f) => [f.leaf.var, f.kind, f.out ?? null]);
  const run = leafRun();
  run.forward.nodes.push({ id: "x", kind: "tensor", var: "x", requires_grad: true, is_leaf: true, grad: null, version: 0, line: 1 });
  run.forward.nodes.push({ id: "o5", kind: "op", op: "detach", line: 2, cut: true });
  run.forward.nodes.push({ id: "xd", kind: "tensor", requires_grad: false, is_leaf: true, grad: null, version: 0, line: 2 });
  run.forward.edges.push({ source: "x", target: "o5" }, { source: "o5", target: "xd" });
  run.code = "x = torch.rand(3, requires_grad=True)\ny = torch.from_numpy(np.sin(x.detach().numpy()))\nk = u.tolist()\n";
  assert.deepEqual(said(run), [
    ["w", "cut", null],
    ["u", "values_out", { line: 3, how: "u.tolist()" }],
    ["v", "not_run", null], // (used to compute another result, which backward never ran from: that is said)
    ["x", "values_out", { line: 2, how: "x.detach().numpy()" }],
  ]);
  run.code = "x = torch.rand(3, requires_grad=True)\ny = torch.as_tensor(np.array(x.detach()) * 2)\n"; // (NumPy's copy)
  assert.deepEqual(said(run)[3], ["x", "values_out", { line: 2, how: "np.array(x.detach())" }]);
  run.code = "x = torch.rand(3, requires_grad=True)\n";
  assert.deepEqual(said(run).map((f) => f[1]), ["cut", "unused", "not_run", "elsewhere"]);
  assert.match(STRINGS.ko.grad_none_values_out, /\{link\} 호출로 \{leaf\} 텐서의 값만 그래프 밖으로 꺼냈고/);
});

test("a leaf whose .grad the code emptied after backward says so, on its newest version", async () => {
  // loss.backward(); opt.step(); opt.zero_grad(); print(model.weight.grad) prints None. The newest node (after the step)
  // was called "an earlier version of this leaf" whose .grad is "shown on its newest node", which it is.
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const leaf = (id, extra) => ({ id, kind: "tensor", var: "w", requires_grad: true, is_leaf: true, grad_accumulator: "b1", ...extra });
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    forward: {
      nodes: [
        leaf("t0", { version: 0, line: 1, grad: one }),
        { id: "o1", kind: "op", op: "mul", line: 2 },
        { id: "t2", kind: "tensor", var: "loss", requires_grad: true, is_leaf: false, grad_fn: "b0", grad: one, line: 2 },
        { id: "o3", kind: "op", op: "SGD.step", line: 4, no_grad: true },
        leaf("t4", { version: 1, line: 4, grad: null }),
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t0", "o3"], ["o3", "t4"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "MulBackward0", tensor: "t2", order: 0, seed: [one], grad_out: [one] },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t4", order: 1, grad_out: [one] },
      ],
      edges: [{ source: "b0", target: "b1", slot: 0 }],
    },
  };
  const index = indexRun(run);
  const newest = notes(index, index.forward.get("t4"));
  assert.ok(newest.includes(t("note_grad_emptied")) && !newest.includes(t("note_older_version")), newest);
  run.forward.nodes[4].grad = one; // (the newest holds it: the older version says its .grad is shown there)
  run.forward.nodes[0].grad = null;
  const older = indexRun(run);
  assert.ok(notes(older, older.forward.get("t0")).includes(t("note_older_version")));
});

test("a tensor changed in place under no_grad by the code's own op is said to be changed, not created", () => {
  // w -= 0.1 * w.grad (the tutorial's hand-written step), an EMA's e.lerp_(m, 0.1): "Created under no_grad" was said
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const w = (id, extra) => ({ id, kind: "tensor", var: "w", requires_grad: true, is_leaf: true, grad_accumulator: "b1", ...extra });
  const ema = (id, version) => ({ id, kind: "tensor", var: "ema", requires_grad: false, is_leaf: true, version });
  const run = {
    backward_passes: 1,
    forward: {
      nodes: [
        w("t0", { version: 0, line: 1, grad: null }),
        { id: "t1", kind: "tensor", var: null, requires_grad: false, is_leaf: true, version: 0 },
        { id: "o2", kind: "op", op: "sub_", line: 5, no_grad: true },
        w("t3", { version: 1, line: 5, grad: one }),
        ema("t4", 0),
        { id: "o5", kind: "op", op: "lerp_", line: 6, no_grad: true },
        ema("t6", 1),
        { id: "o7", kind: "op", op: "mul", line: 7, no_grad: true },
        { id: "t8", kind: "tensor", var: "z", requires_grad: false, is_leaf: true, version: 0 },
      ],
      edges: [["t0", "o2"], ["t1", "o2"], ["o2", "t3"], ["t4", "o5"], ["t3", "o5"], ["o5", "t6"], ["t6", "o7"], ["o7", "t8"]].map(
        ([source, target]) => ({ source, target }),
      ),
    },
    backward: { nodes: [{ id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t3", order: 0, grad_out: [one] }], edges: [] },
  };
  const index = indexRun(run);
  const changed = { op: "sub_", line: 5, how: "torch.no_grad()" };
  assert.ok(notes(index, index.forward.get("t3")).includes(t("note_changed_no_grad", changed)));
  assert.ok(notes(index, index.forward.get("t6")).includes(t("note_changed_no_grad", { ...changed, op: "lerp_", line: 6 })));
  assert.ok(notes(index, index.forward.get("t8")).includes(t("note_no_grad"))); // (made there: created under no_grad)
  assert.ok(!notes(index, index.forward.get("t3")).includes(t("note_no_grad")));
  // (`nn.init.xavier_uniform_(w)` runs `uniform_` under no_grad: the call the line made is named, and the Korean says
  // no_grad was on, not that the code had a `torch.no_grad()` block, which it has not)
  run.forward.nodes[2].inside = "xavier_uniform_";
  const init = { ...changed, op: "xavier_uniform_() → sub_" };
  assert.ok(notes(indexRun(run), index.forward.get("t3")).includes(t("note_changed_no_grad", init)));
  assert.match(STRINGS.ko.note_changed_no_grad, /\{how\} 상태에서/);
  assert.doesNotMatch(STRINGS.ko.note_changed_no_grad, /블록/);
});

test("a custom Function's output is said to be made by it, not created under no_grad", () => {
  // y = Exp.apply(x) (the docs' example): exp ran under no_grad in forward() (line 4); apply gave y ExpBackward
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const run = {
    backward_passes: 1,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", requires_grad: true, is_leaf: true, version: 0, grad: one, grad_accumulator: "b1", line: 11 },
        { id: "o1", kind: "op", op: "exp", line: 4, no_grad: true },
        { id: "t2", kind: "tensor", var: "y", requires_grad: true, is_leaf: false, version: 0, grad: one, grad_fn: "b0", line: 12, forward_line: 4 },
      ],
      edges: [["t0", "o1"], ["o1", "t2"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "ExpBackward", tensor: "t2", order: 0, seed: [one], grad_out: [one] },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1, grad_out: [one] },
      ],
      edges: [{ source: "b0", target: "b1", input_nr: 0 }],
    },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t2"));
  assert.ok(said.includes(t("note_function_output", { line: 12, forward_line: 4, grad_fn: "ExpBackward" })), said);
  assert.ok(!said.includes(t("note_no_grad")));
  // (one torch's own code applied, a module's full backward hook's `view_as` of its output: it has no forward line)
  run.forward.nodes[2].forward_line = null;
  run.backward.nodes[0].name = "BackwardHookFunctionBackward";
  const inside = notes(indexRun(run), index.forward.get("t2"));
  assert.ok(inside.includes(t("note_function_output_inside", { grad_fn: "BackwardHookFunctionBackward" })), inside);
  assert.ok(!inside.includes(t("note_no_grad")));
});

test("a cut under torch.inference_mode() is written as such, not as torch.no_grad()", async () => {
  const { cutWritten } = await import("../../static/js/names.js");
  assert.equal(cutWritten({ kind: "op", op: "mul", no_grad: true, inference: true }), "torch.inference_mode()");
  assert.equal(cutWritten({ kind: "op", op: "mul", no_grad: true }), "torch.no_grad()");
  assert.equal(t("cut_at_no_grad", { line: 3, how: "torch.inference_mode()" }), "line 3, under torch.inference_mode()");
});

test("a new leaf made of a graph's tensor is written as the call that made it", async () => {
  const { cutWritten } = await import("../../static/js/names.js");
  assert.equal(cutWritten({ kind: "op", op: "Parameter" }), "nn.Parameter()");
  assert.equal(cutWritten({ kind: "op", op: "new_tensor" }), ".new_tensor()");
});

test("a leaf never on a backward graph, changed in place, is told of once, not once per version", async () => {
  // an EMA copy's parameters, `pe.detach().mul_(0.9).add_(pm.detach(), alpha=0.1)` each step: 12 notes for 2 tensors
  const { missingGrads } = await import("../../static/js/inspector.js");
  const run = leafRun();
  const version = (id, v) => ({ id, kind: "tensor", var: "ema.weight", requires_grad: true, is_leaf: true, grad: null, version: v, line: 6 });
  run.forward.nodes.push(version("e0", 0), { id: "o6", kind: "op", op: "mul_", line: 6 }, version("e1", 1));
  run.forward.nodes.push({ id: "o7", kind: "op", op: "add_", line: 6 }, version("e2", 2));
  run.forward.edges.push(...[["e0", "o6"], ["o6", "e1"], ["e1", "o7"], ["o7", "e2"]].map(([source, target]) => ({ source, target })));
  const found = missingGrads(indexRun(run)).filter((f) => f.leaf.var === "ema.weight");
  assert.deepEqual(found.map((f) => [f.leaf.id, f.kind]), [["e2", "elsewhere"]]); // (its newest, used by an op: elsewhere)
});

test("a leaf used before the code set its requires_grad is told so, not that it was used nowhere", async () => {
  // w = torch.randn(3); y = (w * x).sum() + b; w.requires_grad_(); y.backward(): w.grad is None, said to be "not used
  // in any operation" (its node that requires grad is not; the one line 4 used did not, then)
  const { missingGrads } = await import("../../static/js/inspector.js");
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: false, is_leaf: true, grad: null, version: 0, ...extra });
  const one = { shape: [], dtype: "float32", data: 1, truncated: false };
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    forward: {
      nodes: [
        tensor("w0", { var: "w", line: 1 }),
        tensor("b", { var: "b", line: 2, requires_grad: true, grad: one, grad_accumulator: "bb" }),
        { id: "o1", kind: "op", op: "mul", line: 4 },
        tensor("wx", { line: 4 }),
        { id: "o2", kind: "op", op: "add", line: 4 },
        tensor("y", { var: "y", line: 4, requires_grad: true, is_leaf: false, grad_fn: "by", grad: one }),
        { id: "o3", kind: "op", op: "requires_grad_", line: 5 },
        tensor("w1", { var: "w", line: 5, requires_grad: true }),
      ],
      edges: [["w0", "o1"], ["o1", "wx"], ["wx", "o2"], ["b", "o2"], ["o2", "y"], ["w0", "o3"], ["o3", "w1"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "by", kind: "grad_fn", name: "AddBackward0", tensor: "y", order: 0, seed: [one] },
        { id: "bb", kind: "grad_fn", name: "AccumulateGrad", tensor: "b", order: 1 },
      ],
      edges: [{ source: "by", target: "bb", slot: 1 }],
    },
  };
  const found = missingGrads(indexRun(run));
  assert.deepEqual(found.map((f) => [f.leaf.id, f.kind, f.other?.id ?? null, f.set ?? null]), [["w1", "late", "o1", 5]]);
  const index = indexRun(run); // (its inspector said "it was not used to compute what backward() was called on")
  assert.ok(notes(index, index.forward.get("w1")).includes(t("note_unreached_late", { op: "mul", line: 4, set: 5 })));
  assert.match(t("grad_none_late", { leaf: "w", link: "mul on line 4", set: 5, root: "y" }), /^w\.grad is None: mul on line 4 used w before line 5 set its requires_grad/);
  run.forward.edges = run.forward.edges.filter((e) => e.source !== "w0" || e.target !== "o1"); // (unused before it, too)
  assert.deepEqual(missingGrads(indexRun(run)).map((f) => f.kind), ["unused"]);
});

test("a leaf the backward graph links to a root is on its way, though the forward graph shows no way there", async () => {
  // x = tensor(…, requires_grad=True); y = x.exp(); z = y.detach(); z.zero_(); y.sum().backward() raises: z shares y's
  // memory, and y's new version has no edge from what changed it. x.grad was said to be None because x "is not used to
  // compute y.sum()", which it is: backward stopped with the error in ExpBackward0 before it reached x.
  const { missingGrads } = await import("../../static/js/inspector.js");
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: true, is_leaf: false, grad: null, version: 0, ...extra });
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    error: { type: "RuntimeError", message: "modified by an inplace operation", line: 5, backward_pass: 1 },
    forward: {
      nodes: [
        tensor("t0", { var: "x", is_leaf: true, grad_accumulator: "b1", line: 1 }),
        { id: "o1", kind: "op", op: "exp", line: 2 },
        tensor("t2", { var: "y", grad_fn: "b0", line: 2 }),
        { id: "o3", kind: "op", op: "detach", line: 3, cut: true },
        tensor("t4", { var: "z", requires_grad: false, is_leaf: true, line: 3 }),
        tensor("t7", { var: "y", grad_fn: "b0", line: 5, version: 1 }),
        { id: "o8", kind: "op", op: "sum", line: 5 },
        tensor("t9", { expr: "y.sum()", grad_fn: "b2", line: 5, grad: summary(1) }),
      ],
      edges: [["t0", "o1"], ["o1", "t2"], ["t2", "o3"], ["o3", "t4"], ["t7", "o8"], ["o8", "t9"]].map(([source, target]) => ({ source, target })),
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "ExpBackward0", tensor: "t7", order: null, raised_in_pass: 1 },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: null },
        { id: "b2", kind: "grad_fn", name: "SumBackward0", tensor: "t9", order: 0, grad_out: [summary(1)] },
      ],
      edges: [
        { source: "b2", target: "b0", slot: 0 },
        { source: "b0", target: "b1", slot: 0 },
      ],
    },
  };
  assert.deepEqual(missingGrads(indexRun(run)).map((f) => [f.leaf.var, f.kind, f.other?.id ?? null]), [["x", "stopped", "b0"]]);
  delete run.error; // (no error: backward did not reach it, not that it was unused)
  assert.deepEqual(missingGrads(indexRun(run)).map((f) => [f.leaf.var, f.kind]), [["x", "unreached"]]);
});

test("a tensor made without requires_grad whose .grad the code reads is told why it is None", async () => {
  const { missingGrads, readsGrad } = await import("../../static/js/inspector.js");
  const said = (run) => missingGrads(indexRun(run)).map((f) => [f.leaf.var, f.kind]);
  const run = leafRun();
  run.forward.nodes.push({ id: "c", kind: "tensor", var: "c", requires_grad: false, is_leaf: true, grad: null, version: 0 });
  run.forward.nodes.push({ id: "k", kind: "tensor", var: "k", requires_grad: false, is_leaf: true, grad: null, version: 0 });
  run.forward.edges.push({ source: "c", target: "o4" }, { source: "k", target: "o4" });
  run.code = "z = (h + b) * c * k\nz.backward()\nprint(c.grad, h.grad)  # not k.grad\n";
  // (h, detach's result, is no tensor the code made: its note would be wrong; k's .grad is never read)
  assert.deepEqual(said(run).slice(-1), [["c", "constant"]]);
  assert.equal(said(run).filter(([name]) => name === "h" || name === "k").length, 0);
  assert.equal(readsGrad("print( w .grad)", "w"), true);
  assert.equal(readsGrad("print(net.w.grad)", "w"), false); // (another tensor's attribute w)
  assert.equal(readsGrad("print(w.grads)", "w"), false);
  assert.equal(readsGrad("print(m[0].weight.grad)", "m[0].weight"), true);
  // one of integers cannot require grad at all: `n.requires_grad_()`, the constant's advice, raises (torch: "Only
  // Tensors of floating point and complex dtype can require gradients")
  run.forward.nodes.find((n) => n.id === "c").dtype = "int64";
  assert.deepEqual(said(run).slice(-1), [["c", "integer"]]);
  run.forward.nodes.find((n) => n.id === "c").dtype = "float32";
  assert.deepEqual(said(run).slice(-1), [["c", "constant"]]);
  assert.match(t("grad_none_integer", { leaf: "n", link: "n", dtype: "int64" }), /n is a tensor of dtype int64.*n = n\.float\(\)\.requires_grad_\(\)/);
  const text = t("grad_none_constant", { leaf: "w", link: "w" });
  assert.match(text, /requires_grad=True/);
  assert.match(STRINGS.ko.grad_none_constant, /\{leaf\}\.requires_grad_\(\)/);
});

test("a backward node that never ran says whether backward() was called at all", () => {
  const run = leafRun();
  const accumulate = (r) => notes(indexRun(r), indexRun(r).backward.get("bw"));
  assert.deepEqual(accumulate(run), [t("note_accumulate"), t("note_not_run")]);
  run.backward_passes = 0;
  assert.deepEqual(accumulate(run), [t("note_accumulate"), t("note_not_run_no_backward")]);
  assert.equal(STRINGS.ko.note_not_run_no_backward, "backward()를 호출하지 않아서 아직 실행되지 않았습니다.");
});

test("a backward node no pass ran says so once: its note, not its words again", () => {
  // (w = y.exp().mean() beside z.backward(): the server's words for MeanBackward0 end with why nothing was checked)
  const unchecked = {
    en: "Not checked: no backward pass ran this node, so there is no gradient to check (the formulas say what it would compute).",
    ko: "검사하지 못했습니다: 이 노드를 실행한 역전파가 없어서 검사할 그래디언트가 없습니다(공식은 실행되었다면 계산했을 값을 보여 줍니다).",
  };
  const rule = { en: "Mean of all entries: w = (1/N) Σ (y.exp()).", ko: "전체 평균: w = (1/N) Σ (y.exp())." };
  const explain = {
    rule: "MeanBackward0",
    words: { en: `${rule.en} ${unchecked.en}`, ko: `${rule.ko} ${unchecked.ko}` },
    formula: { en: "∂w/∂(y.exp())ᵢ = 1/N", ko: "∂w/∂(y.exp())ᵢ = 1/N" },
    inputs: [{ slot: 0, to: null, formula: { en: "grad_(y.exp()) = grad / N", ko: "grad_(y.exp()) = grad / N" }, numbers: null, check: null }],
  };
  const run = leafRun();
  run.backward.nodes[2] = { ...run.backward.nodes[2], explain };
  const index = indexRun(run);
  const node = index.backward.get("bo");
  assert.deepEqual(notes(index, node), [t("note_backward_node"), t("note_not_run_formulas")]);
  // (the page's language switch with a document of nothing to relabel)
  globalThis.document ??= { documentElement: {}, querySelectorAll: () => [], getElementById: () => null };
  try {
    for (const lang of LANGUAGES) {
      setLanguage(lang);
      assert.equal(wordsOf(node), rule[lang]);
      assert.ok(!wordsOf(node).includes(unchecked[lang].slice(0, 8)), lang);
      assert.ok(t("note_not_run_formulas").startsWith(t("note_not_run").replace(/\.$/, "")), lang); // (one note, the whole)
    }
    // a node that ran keeps its words whole (there, what was not checked and why is news)
    const ran = { ...node, order: 3 };
    setLanguage("en");
    assert.equal(wordsOf(ran), explain.words.en);
  } finally {
    setLanguage("en");
  }
  // without formulas to show, the note says only that it never ran
  const plain = leafRun();
  assert.deepEqual(notes(indexRun(plain), indexRun(plain).backward.get("bo")), [t("note_backward_node"), t("note_not_run")]);
});

// x = tensor(2., requires_grad=True); y = x * x + x; y.backward(): three paths bring x its gradient 5
const explained = (formula, numbers, to, slot) => ({
  slot,
  to,
  formula: { en: formula, ko: formula },
  numbers,
  check: { ok: true, max_abs_err: 0, max_rel_err: 0 },
});
const DIAMOND = {
  backward_passes: 1,
  forward: {
    nodes: [
      { id: "t0", kind: "tensor", var: "x", requires_grad: true, is_leaf: true, grad: summary(5), grad_fn: null, grad_accumulator: "b2" },
      { id: "t1", kind: "tensor", var: null, requires_grad: true, is_leaf: false, grad: summary(1), grad_fn: "b1" },
      { id: "t2", kind: "tensor", var: "y", requires_grad: true, is_leaf: false, grad: summary(1), grad_fn: "b0" },
    ],
    edges: [],
  },
  backward: {
    nodes: [
      { id: "b0", kind: "grad_fn", name: "AddBackward0", tensor: "t2", order: 0, backward_pass: 1, grad_in: [summary(1), summary(1)],
        explain: { rule: "AddBackward0", inputs: [explained("grad_x * x = grad", "1", "t1", 0), explained("grad_x = grad", "1", "t0", 1)] } },
      { id: "b1", kind: "grad_fn", name: "MulBackward0", tensor: "t1", order: 1, backward_pass: 1, grad_in: [summary(2), summary(2)],
        explain: { rule: "MulBackward0", inputs: [explained("grad_x = grad · x", "1 · 2 = 2", "t0", 0), explained("grad_x = grad · x", "1 · 2 = 2", "t0", 1)] } },
      { id: "b2", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 2, backward_pass: 1, grad_in: [],
        explain: { rule: "AccumulateGrad", inputs: [explained("x.grad += grad", "5", "t0", 0)] } },
    ],
    edges: [
      { source: "b0", target: "b1", input_nr: 0 },
      { source: "b0", target: "b2", input_nr: 1 },
      { source: "b1", target: "b2", input_nr: 0 },
      { source: "b1", target: "b2", input_nr: 1 },
    ],
  },
};

test("a tensor's gradient is explained by every node that sent it one, each with its chain rule and numbers", () => {
  const { sources, earlier } = gradientSources(indexRun(DIAMOND), "t0");
  assert.deepEqual(
    sources.map((s) => [s.node.id, s.input.slot, s.input.numbers]),
    [["b0", 1, "1"], ["b1", 0, "1 · 2 = 2"], ["b1", 1, "1 · 2 = 2"]],
  );
  assert.equal(earlier, 0);
  // (its own AccumulateGrad is not where it came from; a non-leaf's sender is its consumer's node)
  assert.deepEqual(gradientSources(indexRun(DIAMOND), "t1").sources.map((s) => s.node.id), ["b0"]);
});

test("a gradient is explained by the last backward pass that reached the tensor; earlier passes are counted", () => {
  // w * 2 backward, w.grad.zero_(), w * 5 backward: w.grad is 5, from the second pass only
  const run = structuredClone(DIAMOND);
  run.backward.nodes[0].backward_pass = 1;
  run.backward.nodes[1].backward_pass = 2;
  const { sources, earlier } = gradientSources(indexRun(run), "t0");
  assert.deepEqual(sources.map((s) => s.node.id), ["b1", "b1"]);
  assert.equal(earlier, 1);
});

test("a node that sent nothing to an input (None) or never ran explains no gradient", () => {
  const run = structuredClone(DIAMOND);
  run.backward.nodes[0].grad_in = [summary(1), null];
  run.backward.nodes[1].order = null;
  assert.deepEqual(gradientSources(indexRun(run), "t0").sources, []);
});

test("a tensor passed to a backward call as its starting gradient is told so, by the line of the call", () => {
  const run = { backward_passes: 1, code: "x = t()\ngradient = ones(3)\n# y.backward(gradient)\ny.backward(gradient)\n" };
  assert.equal(backwardSeedLine(run, { var: "gradient", line: 2 }), 4); // (not the commented line)
  const named = { ...run, code: "g = ones(3)\ny.backward(gradient=g, retain_graph=True)\n" };
  assert.equal(backwardSeedLine(named, { var: "g", line: 1 }), 2);
  const listed = { ...run, code: "g = ones(3)\ntorch.autograd.backward([y], grad_tensors=[g])\n" };
  assert.equal(backwardSeedLine(listed, { var: "g", line: 1 }), 2);
  assert.equal(backwardSeedLine({ ...run, code: "g2 = ones(3)\ny.backward(g2)\n" }, { var: "g", line: 1 }), null);
  assert.equal(backwardSeedLine({ ...run, code: "g = ones(3)\ny.backward()\nz = g * 2\n" }, { var: "g", line: 1 }), null);
  assert.equal(backwardSeedLine({ ...run, backward_passes: 0 }, { var: "gradient", line: 2 }), null); // (never ran)
});

test("text a snippet controls is read in linear time: a long line of it never freezes the page", async () => {
  // Each of these took seconds on 20,000-60,000 characters (quadratic patterns); linear, they take milliseconds.
  const { warningHint } = await import("../../static/js/viewer.js");
  const { readsGrad } = await import("../../static/js/inspector.js");
  const timed = (fn) => {
    const started = performance.now();
    fn();
    return performance.now() - started;
  };
  const long = "a".repeat(60000);
  const warned = `w.py:3: UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.\n  ${long}\n`;
  assert.ok(timed(() => warningHint(warned)) < 250);
  assert.ok(timed(() => readsGrad(`print(${long})\n`, "x")) < 250);
  // (an index the pattern read past every `[` in it: 30,000 `a[` took 2 s)
  const opened = "a[".repeat(30000);
  assert.ok(timed(() => warningHint(warned.replace(long, opened))) < 250);
  assert.ok(timed(() => readsGrad(`print(${opened})\n`, "x")) < 250);
  assert.equal(readsGrad("print(xs[i].grad, ys[idx[0]].grad)", "xs[i]"), true);
  const spaces = " ".repeat(60000);
  const seeded = { backward_passes: 1, code: `g = ones(3)\ntorch.autograd.backward([y], grad_tensors=${spaces}[g])\n` };
  assert.ok(timed(() => assert.equal(backwardSeedLine(seeded, { var: "g", line: 1 }), 2)) < 250);
  const never = { id: "b0", name: "MulBackward0", order: null, explain: { words: { en: `Multiplication.${spaces}x`, ko: "곱셈." } } };
  assert.ok(timed(() => assert.equal(wordsOf(never), `Multiplication.${spaces}x`)) < 250);
  const unchecked = { ...never, explain: { words: { en: "Multiplication.  Not checked: no backward pass ran it.", ko: "" } } };
  assert.equal(wordsOf(unchecked), "Multiplication.");
});

test("why each of thousands of leaves has no gradient is worked out in a moment", async () => {
  // ws = [torch.ones(1, requires_grad=True) for _ in range(3000)]; s = torch.zeros(1); for w in ws: s = s + w.detach()
  // A search from each leaf to the end of the sum for the cut nearest it took 7.5 s as this run's page opened (200 s
  // for 8,000 leaves, a forged Run's): how far each node is from a cut is worked out once for all of them. (0.1 s here:
  // the bound is about half of the 7.5 s, not a speed, so that a machine loaded several times over still passes.)
  const { missingGrads } = await import("../../static/js/inspector.js");
  const leaves = 3000;
  const nodes = [];
  const edges = [];
  const tensor = (id, extra) => ({ id, kind: "tensor", requires_grad: false, is_leaf: false, grad: null, version: 0, ...extra });
  let sum = "z";
  nodes.push(tensor("z", { is_leaf: true }));
  for (let k = 0; k < leaves; k++) {
    nodes.push(tensor(`w${k}`, { var: `ws[${k}]`, requires_grad: true, is_leaf: true, grad_accumulator: `a${k}` }));
    nodes.push({ id: `d${k}`, kind: "op", op: "detach", line: 4, cut: true }, tensor(`e${k}`), { id: `p${k}`, kind: "op", op: "add", line: 4 });
    nodes.push(tensor(`s${k}`, k === leaves - 1 ? { var: "s", requires_grad: true, is_leaf: true, grad_accumulator: "b1" } : {}));
    edges.push([`w${k}`, `d${k}`], [`d${k}`, `e${k}`], [sum, `p${k}`], [`e${k}`, `p${k}`], [`p${k}`, `s${k}`]);
    sum = `s${k}`;
  }
  nodes.push({ id: "q", kind: "op", op: "sum", line: 6 }, tensor("loss", { requires_grad: true, grad_fn: "b0" }));
  edges.push([sum, "q"], ["q", "loss"]);
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    code: "",
    forward: { nodes, edges: edges.map(([source, target]) => ({ source, target })) },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "SumBackward0", tensor: "loss", order: 0, backward_pass: 1 },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: sum, order: 1, backward_pass: 1 },
        ...Array.from({ length: leaves }, (_, k) => ({ id: `a${k}`, kind: "grad_fn", name: "AccumulateGrad", tensor: `w${k}`, order: null })),
      ],
      edges: [{ source: "b0", target: "b1" }],
    },
  };
  const index = indexRun(run);
  const started = performance.now();
  const found = missingGrads(index);
  assert.ok(performance.now() - started < 4000, `${Math.round(performance.now() - started)} ms`);
  assert.equal(found.length, leaves);
  assert.ok(found.every((f, k) => f.kind === "cut" && f.cut.id === `d${k}` && f.leaf.id === `w${k}`));
});

test("a node with more edges into it than a call takes arguments is indexed", () => {
  // A forged Run (10 MB) of 150,000 edges between two backward nodes torch made inside an op: their parents were pushed
  // as one call's arguments, which overflowed the stack, and the run's page said its data could not be read.
  const nodes = ["b0", "b1"].map((id) => ({ id, kind: "grad_fn", name: "MulBackward0", tensor: null, order: 0 }));
  const edges = Array.from({ length: 150_000 }, () => ({ source: "b1", target: "b0" }));
  assert.equal(indexRun({ forward: { nodes: [], edges: [] }, backward: { nodes, edges } }).toForward.get("b0"), undefined);
});

test("the backward nodes a create_graph pass made are told apart from the forward code's, F.linear's weightᵀ too", async () => {
  const { builtByBackward } = await import("../../static/js/explain.js");
  // h = F.linear(x, W) (its TBackward0 of W made inside linear); g, = autograd.grad(h.sum(), x, create_graph=True);
  // p = (g ** 2).sum(); p.backward(): g = grad · W, its MmBackward0 reads W through a TBackward0 of Wᵀ and the forward's
  const tensor = (id, more) => ({ id, kind: "tensor", requires_grad: true, is_leaf: false, grad_fn: null, ...more });
  const run = {
    backward_calls: ["grad", "backward"],
    backward_passes: 2,
    forward: {
      nodes: [
        tensor("x", { is_leaf: true, grad_accumulator: "ax" }),
        tensor("W", { is_leaf: true, grad_accumulator: "aW" }),
        { id: "o1", kind: "op", op: "linear" },
        tensor("h", { grad_fn: "mm" }),
        tensor("g", { grad_fn: "gmm" }), // (made by the first pass: no op)
        { id: "o2", kind: "op", op: "pow" },
        tensor("g2", { grad_fn: "pow" }),
      ],
      edges: [
        { source: "x", target: "o1" },
        { source: "W", target: "o1" },
        { source: "o1", target: "h" },
        { source: "g", target: "o2" },
        { source: "o2", target: "g2" },
      ],
    },
    backward: {
      nodes: ["mm", "t", "ax", "aW", "gmm", "tt", "pow"].map((id) => ({ id, kind: "grad_fn", name: id.startsWith("a") ? "AccumulateGrad" : id, tensor: null })),
      edges: [
        { source: "mm", target: "ax" },
        { source: "mm", target: "t" },
        { source: "t", target: "aW" },
        { source: "pow", target: "gmm" },
        { source: "gmm", target: "tt" },
        { source: "tt", target: "t" },
      ],
    },
  };
  assert.deepEqual([...builtByBackward(indexRun(run)).keys()].sort(), ["gmm", "tt"]);
  assert.equal(builtByBackward(indexRun({ ...run, backward_calls: [] })).size, 0);
});
