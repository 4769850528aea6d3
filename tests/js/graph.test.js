// How the page finds the Run's nodes in a picture of the server's DOT, and the address of a view.
import assert from "node:assert/strict";
import { test } from "node:test";

import { validId, viewQuery } from "../../static/js/api.js";
import { nodeOf } from "../../static/js/pane.js";
import { dotId } from "../../static/js/svg.js";

test("a node's DOT id comes back from Graphviz's title without the quoting's backslashes", () => {
  assert.equal(dotId("t12"), "t12");
  assert.equal(dotId(String.raw`t0end\\`), "t0end\\"); // app/render.py wrote "t0end\\\\", Graphviz kept \\
  assert.equal(dotId(String.raw`a\{b\|c\}\<d\>`), "a{b|c}<d>");
  assert.equal(dotId('q"uote'), 'q"uote'); // \" is the one escape Graphviz reads itself
});

test("each copy of a node drawn once per use stands for the node", () => {
  assert.equal(nodeOf("t7~3"), "t7");
  assert.equal(nodeOf("ro12"), "ro12");
});

test("a view's address carries its fold and the groups opened, in order", () => {
  assert.equal(viewQuery(1000).toString(), "fold=1000");
  assert.equal(viewQuery(50, ["ro3", "mo9"]).toString(), "fold=50&expand=ro3&expand=mo9");
});

test("only ids the server makes go into an address", () => {
  assert.ok(validId("aZ3k9QxP2mLt"));
  for (const id of ["", "../x", "a b", "x".repeat(33), null, 5]) assert.ok(!validId(id), String(id));
});
