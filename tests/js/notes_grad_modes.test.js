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
