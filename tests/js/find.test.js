// The find box over the forward graph: which tensors a typed name finds, and the names it offers.
import assert from "node:assert/strict";
import { test } from "node:test";

import { indexRun } from "../../static/js/inspector.js";
import { namesToFind, tensorsNamed } from "../../static/js/names.js";

const tensor = (id, name, more = {}) => ({ id, kind: "tensor", var: name, aliases: [], requires_grad: true, ...more });
// A training loop of two steps: model.fc2.weight before and after the optimizer's step, an unnamed product.
const RUN = {
  forward: {
    nodes: [
      tensor("t0", "model.fc2.weight", { aliases: ["w"] }),
      tensor("t1", null, { expr: "x @ model.fc2.weight.T" }),
      tensor("t2", "model.fc2.bias"),
      tensor("t3", "model.fc2.weight"),
      tensor("t4", "loss"),
    ],
    edges: [],
  },
  backward: { nodes: [], edges: [] },
};

test("a name the snippet gave finds its tensors, the newest first, not the names it is part of", () => {
  const index = indexRun(RUN);
  assert.deepEqual(tensorsNamed(index, " model.fc2.weight ").map((n) => n.id), ["t3", "t0"]);
  assert.deepEqual(tensorsNamed(index, "w").map((n) => n.id), ["t0"]); // (an alias: not every name holding a w)
});

test("a part of a name finds every tensor whose name or expression holds it, case aside", () => {
  const index = indexRun(RUN);
  assert.deepEqual(tensorsNamed(index, "FC2").map((n) => n.id), ["t3", "t2", "t1", "t0"]);
  assert.deepEqual(tensorsNamed(index, "fc3"), []);
  assert.deepEqual(tensorsNamed(index, "  "), []);
});

test("the box offers each name once, in the order the tensors were made", () => {
  assert.deepEqual(namesToFind(indexRun(RUN)), ["model.fc2.weight", "w", "model.fc2.bias", "loss"]);
});
