// What a leaf's notes say of its .grad when the backward calls were torch.autograd.grad() or backward(inputs=...).
import assert from "node:assert/strict";
import { test } from "node:test";

import { t } from "../../static/js/i18n.js";
import { builtByBackwardText } from "../../static/js/explain.js";
import { indexRun, notes } from "../../static/js/inspector.js";
import { FUNCTORCH_WRAPPER } from "../../static/js/names.js";

const summary = (data) => ({ shape: [], dtype: "float32", data, truncated: false });

// x = tensor(2., requires_grad=True); z = x * 3; then one call from z: `torch.autograd.grad(z, x)` or
// `z.backward(inputs=[w])` (w elsewhere): x's AccumulateGrad never ran, and x.grad is None.
function fromZ(call, inputsGiven) {
  return {
    backward_passes: 1,
    backward_calls: [call],
    backward_inputs_given: [inputsGiven],
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null, grad_fn: null, grad_accumulator: "b1" },
        { id: "o1", kind: "op", op: "mul", line: 2 },
        { id: "t2", kind: "tensor", var: "z", line: 2, requires_grad: true, is_leaf: false, version: 0, grad: summary(1), grad_fn: "b0" },
      ],
      edges: [
        { source: "t0", target: "o1" },
        { source: "o1", target: "t2" },
      ],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "MulBackward0", tensor: "t2", order: 0, backward_pass: 1, seed: [summary(1)] },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: null },
      ],
      edges: [{ source: "b0", target: "b1", input_nr: 0 }],
    },
  };
}

test("a leaf only torch.autograd.grad() reached, or one backward(inputs=) left out, is not said to be unused", () => {
  const returned = notes(indexRun(fromZ("grad", true)), fromZ("grad", true).forward.nodes[0]);
  assert.ok(returned.includes(t("note_unreached_returned")), returned);
  assert.ok(!returned.includes(t("note_unreached")), returned);
  const left = notes(indexRun(fromZ("backward", true)), fromZ("backward", true).forward.nodes[0]);
  assert.ok(left.includes(t("note_unreached_not_chosen")), left);
  assert.ok(!left.includes(t("note_unreached")), left);
  // (a leaf no pass's graph leads to is still one the calls' results were not computed from)
  const run = fromZ("grad", true);
  run.backward.edges = [];
  assert.ok(notes(indexRun(run), run.forward.nodes[0]).includes(t("note_unreached")));
});

// x = tensor([0.5, 1.5], requires_grad=True); y = (x ** 3).sum(); (dx,) = autograd.grad(y, x, create_graph=True);
// (dx ** 2).sum().backward(inputs=[x]): x.grad is the second pass's, reached through the graph grad() built.
test("a leaf's .grad is said to be of the last pass that ran its AccumulateGrad, not of a grad() pass that used it", () => {
  const run = {
    backward_passes: 2,
    backward_calls: ["grad", "backward"],
    backward_inputs_given: [true, true],
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: summary(3), grad_fn: null, grad_accumulator: "b1" },
        { id: "o1", kind: "op", op: "pow", line: 2 },
        { id: "t2", kind: "tensor", var: "y", line: 2, requires_grad: true, is_leaf: false, version: 0, grad: summary(1), grad_fn: "b0" },
      ],
      edges: [
        { source: "t0", target: "o1" },
        { source: "o1", target: "t2" },
      ],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "PowBackward0", tensor: "t2", order: 0, backward_pass: 1, seed: [summary(1)] },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 2, backward_pass: 2 },
        { id: "b2", kind: "grad_fn", name: "PowBackward0", tensor: null, order: 1, backward_pass: 2 },
        { id: "b3", kind: "grad_fn", name: "SumBackward0", tensor: null, order: 0, backward_pass: 2, seed: [summary(1)] },
      ],
      edges: [
        { source: "b0", target: "b1", input_nr: 0 },
        { source: "b3", target: "b2", input_nr: 0 },
        { source: "b2", target: "b1", input_nr: 0 },
      ],
    },
  };
  const said = notes(indexRun(run), run.forward.nodes[0]);
  assert.ok(said.includes(t("note_grad_of_pass", { pass: 2 })), said);
  assert.ok(!said.includes(t("note_grad_of_pass", { pass: 1 })), said);
});

// x = tensor([1., 2.], requires_grad=True); h = x * 3; y = (h ** 2).sum(); y.backward(inputs=[h]): torch keeps h.grad
// (h.retains_grad is True), though the code never called h.retain_grad().
test("a non-leaf whose .grad backward(inputs=[h]) kept is not said to have had .retain_grad() called on it", () => {
  const code = "x = torch.tensor([1.0, 2.0], requires_grad=True)\nh = x * 3\ny = (h ** 2).sum()\ny.backward(inputs=[h])\n";
  const run = {
    code,
    backward_passes: 1,
    backward_calls: ["backward"],
    backward_inputs_given: [true],
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "x", line: 1, requires_grad: true, is_leaf: true, version: 0, grad: null, grad_fn: null, grad_accumulator: "b1" },
        { id: "o1", kind: "op", op: "mul", line: 2 },
        { id: "t2", kind: "tensor", var: "h", line: 2, requires_grad: true, is_leaf: false, version: 0, grad: summary(6), grad_fn: "b0", retains_grad: true },
      ],
      edges: [
        { source: "t0", target: "o1" },
        { source: "o1", target: "t2" },
      ],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "MulBackward0", tensor: "t2", order: null },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: null },
      ],
      edges: [{ source: "b0", target: "b1", input_nr: 0 }],
    },
  };
  const said = notes(indexRun(run), run.forward.nodes[2]);
  assert.ok(said.includes(t("note_nonleaf_inputs")), said);
  assert.ok(!said.includes(t("note_nonleaf_retained")), said);
  // (the code's own h.retain_grad(): said as before)
  const retained = { ...run, code: code.replace("y = ", "h.retain_grad()\ny = ") };
  assert.ok(notes(indexRun(retained), run.forward.nodes[2]).includes(t("note_nonleaf_retained")));
});

// The ensembling tutorial: params, buffers = stack_module_state(models); preds = vmap(fmodel, in_dims=(0, 0, None))(
// params, buffers, x); preds.pow(2).mean().backward(). preds, made by no op of the forward graph (its ops ran on the
// transform's wrapped tensors), was said to be a gradient a backward pass computed with create_graph=True.
test("a torch.func transform's result is said to be made by the transform, not by a backward pass", () => {
  const wrapped = { shape: [4, 3], dtype: "float32", data: null, truncated: false, unreadable: FUNCTORCH_WRAPPER };
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    forward: {
      nodes: [
        { id: "t0", kind: "tensor", var: "params['0.weight']", line: 2, requires_grad: true, is_leaf: true, version: 0, grad: null, grad_accumulator: "b1" },
        { id: "t1", kind: "tensor", var: null, line: 3, requires_grad: false, is_leaf: true, version: 0, grad: null, value: wrapped },
        { id: "o2", kind: "op", op: "linear", line: 1 },
        { id: "t3", kind: "tensor", var: null, line: 1, requires_grad: false, is_leaf: true, version: 0, grad: null, value: wrapped },
        { id: "t4", kind: "tensor", var: "preds", line: 3, requires_grad: true, is_leaf: false, version: 0, grad: null, grad_fn: "b0" },
      ],
      edges: [{ source: "t1", target: "o2" }, { source: "o2", target: "t3" }],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "AddBackward0", tensor: "t4", order: 0, grad_in: [], grad_out: [], saved: [] },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1, grad_in: [], grad_out: [], saved: [] },
      ],
      edges: [{ source: "b0", target: "b1" }],
    },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t4"));
  assert.ok(said.includes(t("note_made_by_transform", { line: 3, grad_fn: "AddBackward0" })), said);
  assert.ok(!said.some((s) => s.includes("create_graph=True")), said);
  assert.equal(builtByBackwardText(index, index.backward.get("b0")), null);
});
