// What a tensor's notes say of the grad mode it was made under.
import assert from "node:assert/strict";
import { test } from "node:test";

import { t } from "../../static/js/i18n.js";
import { indexRun, notes } from "../../static/js/inspector.js";

// @torch.inference_mode() def predict(batch): return clf(batch).softmax(-1); probs = predict(x): an inference tensor,
// which `(probs * clf.weight[:, 0]).sum()` cannot save for backward (it was said to be made under no_grad).
test("a tensor made under torch.inference_mode() is said to be an inference tensor, not made under no_grad", () => {
  const run = {
    backward_passes: 0,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "clf.weight", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null },
        { id: "o1", kind: "op", op: "linear", line: 5, no_grad: true, inference: true, cut: true },
        { id: "t2", kind: "tensor", var: "probs", line: 5, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o3", kind: "op", op: "mul", line: 8, no_grad: true, inference: false },
        { id: "t4", kind: "tensor", var: "y", line: 8, requires_grad: false, is_leaf: true, version: 0, grad: null },
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" },
        { source: "t2", target: "o3" }, { source: "o3", target: "t4" },
      ],
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t2"));
  assert.ok(said.includes(t("note_inference")), said);
  assert.ok(!said.includes(t("note_no_grad")), said);
  assert.match(t("note_inference"), /inference tensor/);
  // (under torch.no_grad(): as before)
  assert.ok(notes(index, index.forward.get("t4")).includes(t("note_no_grad")));
});

// mu = torch.tensor([0.5], requires_grad=True); d = Normal(mu, 1.0); s = d.sample(); loss = (s ** 2).sum(): sample()
// computes under torch.no_grad() inside torch, and the code wrote no no_grad, which the notes said it had.
test("a tensor a library call made under its own torch.no_grad() names that call, not a no_grad the code never wrote", () => {
  const nodes = (code) => ({
    code,
    backward_passes: 0,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "mu", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null },
        { id: "o1", kind: "op", op: "normal", line: 3, inside: "sample", no_grad: true, inference: false, cut: true },
        { id: "t2", kind: "tensor", var: "s", line: 3, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o3", kind: "op", op: "pow", line: 4, inside: null, no_grad: false, inference: false },
        { id: "t4", kind: "tensor", var: null, line: 4, requires_grad: false, is_leaf: true, version: 0, grad: null },
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" },
        { source: "t2", target: "o3" }, { source: "o3", target: "t4" },
      ],
    },
    backward: { nodes: [], edges: [] },
  });
  const code = "mu = torch.tensor([0.5], requires_grad=True)\nd = Normal(mu, 1.0)\ns = d.sample()\nloss = (s ** 2).sum()\n";
  let index = indexRun(nodes(code));
  const said = notes(index, index.forward.get("t2"));
  assert.ok(said.includes(t("note_no_grad_inside", { call: "sample()", line: 3 })), said);
  assert.ok(!said.includes(t("note_no_grad")), said);
  assert.match(said.join(" "), /inside sample\(\) on line 3, which computes under torch\.no_grad\(\)/);
  assert.ok(notes(index, index.forward.get("t4")).includes(t("note_made_from_cut", { line: 3, how: "sample() → torch.no_grad()" })));
  // (a snippet that writes torch.no_grad() itself, around the call: as before)
  index = indexRun(nodes(code.replace("s = d.sample()", "with torch.no_grad():\n    s = d.sample()")));
  assert.ok(notes(index, index.forward.get("t2")).includes(t("note_no_grad")));
  assert.ok(notes(index, index.forward.get("t4")).includes(t("note_made_from_cut", { line: 3, how: "torch.no_grad()" })));
});

// total = clip_grad_norm_(...); print(round(total.item(), 4), model[0].weight.grad.norm() <= 1): the norm of a .grad
// was said to be made from the values total.item() took out of a graph, which only shared its line.
test("a tensor made only from tensors of other lines is not said to be made of values a call on its line took out", () => {
  const tensor = (id, line, extra = {}) => ({ id, kind: "tensor", var: null, line, requires_grad: false, is_leaf: true, version: 0, grad: null, ...extra });
  const run = {
    code: "w = torch.ones(2)\ng = w * 1\ntotal = g.sum()\nprint(round(total.item(), 4), g.norm() <= 1)\nb = torch.tensor(total.numpy()) * 2\n",
    backward_passes: 0,
    forward: {
      nodes: [
        tensor("t0", 2, { var: "g" }),
        tensor("t1", 3, { var: "total" }),
        { id: "o2", kind: "op", op: "linalg_vector_norm", line: 4 },
        tensor("t3", 4),
        tensor("t4", 5),
        { id: "o5", kind: "op", op: "mul", line: 5 },
        tensor("t6", 5, { var: "b" }),
      ],
      edges: [
        { source: "t0", target: "o2" }, { source: "o2", target: "t3" },
        { source: "t4", target: "o5" }, { source: "o5", target: "t6" },
      ],
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t3")), [t("note_constant")]);
  // (made through an op from what the code made on that line of the taken-out values: as before)
  assert.deepEqual(notes(index, index.forward.get("t6")), [t("note_made_from_values_out", { how: "total.numpy()", line: 5 })]);
  assert.deepEqual(notes(index, index.forward.get("t4")), [t("note_made_from_values_out", { how: "total.numpy()", line: 5 })]);
  // (made by a factory op of no tensor input on that line, `torch.full((2,), total.item())`: as before)
  run.code = run.code.replace("torch.tensor(total.numpy())", "torch.full((2,), total.item())");
  run.forward.nodes.splice(4, 0, { id: "o7", kind: "op", op: "full", line: 5 });
  run.forward.edges.push({ source: "o7", target: "t4" });
  const full = indexRun(run);
  assert.deepEqual(notes(full, full.forward.get("t6")), [t("note_made_from_values_out", { how: "total.item()", line: 5 })]);
});

// target = copy.deepcopy(online); target.load_state_dict(online.state_dict()): state_dict() detaches each tensor it
// returns and deepcopy goes through each parameter's .data, and the notes said "by .detach()" and "by .data" of code
// that wrote neither.
test("a cut a library call made (state_dict()'s .detach(), deepcopy()'s .data) is said to be that call's", () => {
  const run = {
    backward_passes: 0,
    code: "online = nn.Linear(2, 1)\nsd = online.state_dict()\nw = sd['weight'] * 2\nv = online.weight.detach()\n",
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "online.weight", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null },
        { id: "o1", kind: "op", op: "detach", line: 2, inside: "state_dict", cut: true, no_grad: false },
        { id: "t2", kind: "tensor", var: "sd['weight']", line: 2, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o3", kind: "op", op: "mul", line: 3, inside: null, no_grad: false },
        { id: "t4", kind: "tensor", var: "w", line: 3, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o5", kind: "op", op: "detach", line: 4, inside: null, cut: true, no_grad: false },
        { id: "t6", kind: "tensor", var: "v", line: 4, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o7", kind: "op", op: "data", line: 5, inside: "deepcopy", cut: true, no_grad: false },
        { id: "t8", kind: "tensor", var: null, line: 5, requires_grad: false, is_leaf: true, version: 0, grad: null },
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" }, { source: "t2", target: "o3" }, { source: "o3", target: "t4" },
        { source: "t0", target: "o5" }, { source: "o5", target: "t6" }, { source: "t0", target: "o7" }, { source: "o7", target: "t8" },
      ],
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_cut_here", { line: 2, how: "state_dict() → .detach()" })]);
  assert.deepEqual(notes(index, index.forward.get("t4")), [t("note_made_from_cut", { line: 2, how: "state_dict() → .detach()" })]);
  assert.deepEqual(notes(index, index.forward.get("t8")), [t("note_cut_here", { line: 5, how: "deepcopy() → .data" })]);
  assert.deepEqual(notes(index, index.forward.get("t6")), [t("note_detach")]); // (the code's own .detach(): as before)
});

// A DQN: `target.load_state_dict(online.state_dict())` on a top-level line, the targets under the code's own
// `with torch.no_grad():` further down. load_state_dict() copies under its own no_grad, and the notes said the
// target's parameters were cut off by a torch.no_grad() on the load_state_dict line, which the code never wrote there.
test("a library call's own torch.no_grad() is named on a line outside the code's no_grad blocks", () => {
  const nodes = (code, line) => ({
    backward_passes: 0,
    code,
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "mu", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null },
        { id: "o1", kind: "op", op: "normal", line, inside: "sample", no_grad: true, inference: false, cut: true },
        { id: "t2", kind: "tensor", var: "s", line, requires_grad: false, is_leaf: true, version: 0, grad: null },
      ],
      edges: [{ source: "t0", target: "o1" }, { source: "o1", target: "t2" }],
    },
    backward: { nodes: [], edges: [] },
  });
  const said = (code, line) => {
    const index = indexRun(nodes(code, line));
    return notes(index, index.forward.get("t2"));
  };
  const top = "mu = torch.zeros(1, requires_grad=True)\nd = Normal(mu, 1.0)\ns = d.sample()\nwith torch.no_grad():\n    y = mu * 2\n";
  assert.deepEqual(said(top, 3), [t("note_no_grad_inside", { call: "sample()", line: 3 })]);
  // (in the code's with block, in a function a caller's block may run, beside a torch.set_grad_enabled(False)
  // statement, or on the with line itself: the code's, as before)
  const inBlock = "mu = torch.zeros(1, requires_grad=True)\nd = Normal(mu, 1.0)\nwith torch.no_grad():\n    # draw\n    s = d.sample()\n";
  assert.deepEqual(said(inBlock, 5), [t("note_no_grad")]);
  const inFunction = "mu = torch.zeros(1, requires_grad=True)\nd = Normal(mu, 1.0)\ndef f():\n    return d.sample()\nwith torch.no_grad():\n    s = f()\n";
  assert.deepEqual(said(inFunction, 4), [t("note_no_grad")]);
  assert.deepEqual(said(top.replace("with torch.no_grad():\n    y", "torch.set_grad_enabled(False)\ny"), 3), [t("note_no_grad")]);
  assert.deepEqual(said("mu = torch.zeros(1, requires_grad=True)\nd = Normal(mu, 1.0)\nwith torch.no_grad(): s = d.sample()\n", 3), [t("note_no_grad")]);
  // (a context manager of the code's own, which may turn gradients off around any line: the code's, as before)
  const own = "@contextmanager\ndef frozen():\n    with torch.no_grad():\n        yield\nwith frozen():\n    s = d.sample()\n";
  assert.deepEqual(said(own, 6), [t("note_no_grad")]);
});

// ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9)); ema.update_parameters(model): the EMA lerps
// each parameter's .detach() in place under no_grad, and `ema.module.weight`, drawn as one more output of that
// _foreach_lerp_, was said to be made inside update_parameters() with no graph: a leaf that requires grad.
test("a parameter a library call changed in place through its .detach() under no_grad is said to be changed there", () => {
  const run = {
    backward_passes: 0,
    code: "ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))\nema.update_parameters(model)\n",
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "ema.module.weight", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null, grad_accumulator: "b0" },
        { id: "o1", kind: "op", op: "detach", line: 2, inside: "update_parameters", cut: true, no_grad: false },
        { id: "t2", kind: "tensor", var: null, line: 2, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o3", kind: "op", op: "_foreach_lerp_", line: 2, inside: "update_parameters", no_grad: true },
        { id: "t4", kind: "tensor", var: null, line: 2, requires_grad: false, is_leaf: true, version: 1, grad: null },
        { id: "t5", kind: "tensor", var: "ema.module.weight", line: 2, requires_grad: true, is_leaf: true, version: 1, grad: null, grad_accumulator: "b0" },
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" }, { source: "t2", target: "o3" },
        { source: "o3", target: "t4" }, { source: "o3", target: "t5" },
      ],
    },
    backward: { nodes: [{ id: "b0", name: "AccumulateGrad", tensor: "t0", grad_in: [], grad_out: [], saved: [] }], edges: [] },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t5"));
  assert.ok(said.includes(t("note_changed_no_grad", { op: "update_parameters() → _foreach_lerp_", line: 2, how: "torch.no_grad()" })), said);
  assert.ok(!said.includes(t("note_no_grad_inside", { call: "update_parameters()", line: 2 })), said);
});

// The mean teacher: `for p in teacher.parameters(): p.detach_()`, then `teacher.load_state_dict(student.state_dict())`,
// which copies under its own no_grad: what the teacher made was said to be cut off by that torch.no_grad(), where
// .detach_() had cut its parameters off, and a comment that says "no_grad" was taken for code that turns it off.
test("an in-place copy under no_grad to a tensor already cut off is not where what is made from it was cut", () => {
  const run = {
    backward_passes: 0,
    code: "# the mean teacher, without torch.no_grad()\nfor p in teacher.parameters():\n    p.detach_()\nteacher.load_state_dict(sd)\ny = teacher(x)\n",
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "teacher.weight", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null },
        { id: "o1", kind: "op", op: "detach_", line: 3, inside: null, cut: true, no_grad: false },
        { id: "t2", kind: "tensor", var: "teacher.weight", line: 3, requires_grad: false, is_leaf: true, version: 1, grad: null },
        { id: "t3", kind: "tensor", var: null, line: 4, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o4", kind: "op", op: "copy_", line: 4, inside: "load_state_dict", cut: false, no_grad: true },
        { id: "t5", kind: "tensor", var: "teacher.weight", line: 4, requires_grad: false, is_leaf: true, version: 2, grad: null },
        { id: "o6", kind: "op", op: "linear", line: 5, inside: null, cut: false, no_grad: false },
        { id: "t7", kind: "tensor", var: "y", line: 5, requires_grad: false, is_leaf: true, version: 0, grad: null },
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" }, { source: "t2", target: "o4" }, { source: "t3", target: "o4" },
        { source: "o4", target: "t5" }, { source: "t5", target: "o6" }, { source: "o6", target: "t7" },
      ],
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t7")), [t("note_made_from_cut", { line: 3, how: ".detach_()" })]);
  const changed = t("note_changed_no_grad", { op: "load_state_dict() → copy_", line: 4, how: "torch.no_grad()" });
  assert.ok(notes(index, index.forward.get("t5")).includes(changed));
  // (a copy under no_grad that cut something, the first tensor that required grad: still where)
  run.forward.nodes[3].requires_grad = true;
  run.forward.nodes[4].cut = true;
  const cut = indexRun(run);
  assert.deepEqual(notes(cut, cut.forward.get("t7")), [t("note_made_from_cut", { line: 4, how: "load_state_dict() → torch.no_grad()" })]);
});

// with torch.no_grad(): vector_to_parameters(theta - 0.1 * g, model.parameters()): it assigns each parameter's .data,
// which keeps the tensor and its version, and model.weight, a parameter that requires grad, was said to be created
// under no_grad with no graph.
test("a parameter whose .data an assignment replaced under no_grad is said to be changed there, not created", () => {
  const run = {
    backward_passes: 0,
    code: "with torch.no_grad():\n    vector_to_parameters(theta, model.parameters())\n",
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "model.weight", line: 1, requires_grad: true, is_leaf: true, version: 1, grad: null, grad_accumulator: "b0" },
        { id: "t1", kind: "tensor", var: null, line: 2, requires_grad: false, is_leaf: true, version: 0, grad: null },
        { id: "o2", kind: "op", op: "data=", line: 2, inside: "vector_to_parameters", no_grad: true, cut: false },
        { id: "t3", kind: "tensor", var: "model.weight", line: 2, requires_grad: true, is_leaf: true, version: 1, grad: null, grad_accumulator: "b0" },
      ],
      edges: [{ source: "t0", target: "o2" }, { source: "t1", target: "o2" }, { source: "o2", target: "t3" }],
    },
    backward: { nodes: [{ id: "b0", name: "AccumulateGrad", tensor: "t0", grad_in: [], grad_out: [], saved: [] }], edges: [] },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t3"));
  assert.ok(said.includes(t("note_changed_no_grad", { op: "vector_to_parameters() → data=", line: 2, how: "torch.no_grad()" })), said);
  assert.ok(!said.includes(t("note_no_grad")), said);
});

// target.requires_grad_(False): nn.Module.requires_grad_ calls each parameter's requires_grad_, which is what the code
// wrote, and a library call's own cut is named by the call only when it is another one.
test("a parameter frozen by the module's requires_grad_ is frozen by requires_grad=False, not by a call inside it", () => {
  const run = {
    backward_passes: 0,
    code: "target = nn.Linear(2, 1)\ntarget.requires_grad_(False)\n",
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "target.weight", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null },
        { id: "o1", kind: "op", op: "requires_grad_", line: 2, inside: "requires_grad_", cut: true, no_grad: false },
        { id: "t2", kind: "tensor", var: "target.weight", line: 2, requires_grad: false, is_leaf: true, version: 0, grad: null },
      ],
      edges: [{ source: "t0", target: "o1" }, { source: "o1", target: "t2" }],
    },
    backward: { nodes: [], edges: [] },
  };
  const index = indexRun(run);
  assert.deepEqual(notes(index, index.forward.get("t2")), [t("note_frozen_here", { line: 2, how: "requires_grad=False" })]);
});
