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
