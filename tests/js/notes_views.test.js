// What a view's notes say when an op changed its base in place, and the view with it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { t } from "../../static/js/i18n.js";
import { indexRun, notes } from "../../static/js/inspector.js";

const tensor = (id, more) => ({ id, kind: "tensor", line: 2, requires_grad: true, is_leaf: false, version: 1, grad: null, ...more });

// lin = nn.Linear(3, 2); wt = lin.weight.T; ...; opt.step(): the step changed lin.weight in place, and wt with it
// (torch gave wt a new grad_fn, AsStridedBackward0, reading lin.weight anew); the recorder draws wt's new version as
// one more output of the step.
test("a view an op changed through its base says so, not that a Function or a backward pass made it", () => {
  const run = {
    backward_passes: 1,
    backward_calls: ["backward"],
    forward: {
      nodes: [
        tensor("t0", { var: "lin.weight", line: 1, is_leaf: true, grad_accumulator: "b1" }),
        { id: "o1", kind: "op", op: "T", line: 2 },
        tensor("t2", { var: "wt", grad_fn: "b0" }),
        { id: "o3", kind: "op", op: "SGD.step", line: 5, no_grad: true },
        tensor("t4", { var: "lin.weight", line: 5, is_leaf: true, version: 2, grad_accumulator: "b1" }),
        tensor("t5", { var: "wt", line: 5, version: 2, grad_fn: "b2" }),
      ],
      edges: [
        { source: "t0", target: "o1" }, { source: "o1", target: "t2" },
        { source: "t0", target: "o3" }, { source: "o3", target: "t4" }, { source: "o3", target: "t5" },
      ],
    },
    backward: {
      nodes: [
        { id: "b0", kind: "grad_fn", name: "TBackward0", tensor: "t2", order: 0, backward_pass: 1 },
        { id: "b1", kind: "grad_fn", name: "AccumulateGrad", tensor: "t0", order: 1, backward_pass: 1 },
        { id: "b2", kind: "grad_fn", name: "AsStridedBackward0", tensor: "t5", order: null },
      ],
      edges: [
        { source: "b0", target: "b1", input_nr: 0 },
        { source: "b2", target: "b1", input_nr: 0 },
      ],
    },
  };
  const index = indexRun(run);
  const said = notes(index, index.forward.get("t5"));
  const view = t("note_view_changed", { op: "SGD.step", line: 5, base: "lin.weight", grad_fn: "AsStridedBackward0" });
  assert.ok(said.includes(view), said);
  assert.match(view, /line 5 \(SGD\.step\) changed lin\.weight in place/);
  assert.ok(!said.some((s) => /autograd\.Function|create_graph/.test(s)), said);
  // (the view's own first node, made by .T, and the parameter the step changed say no such thing)
  assert.ok(!notes(index, index.forward.get("t2")).includes(view));
  assert.ok(!notes(index, index.forward.get("t4")).some((s) => s.startsWith("A view of")));
});
