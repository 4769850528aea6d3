// The picture a pane draws: whole CSS px, at exactly the scale asked for, never smaller than the pane.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fitScale, pictureOf } from "../../static/js/panzoom.js";

test("a picture is whole CSS px at exactly its scale, and covers the pane", () => {
  const full = { x: 0, y: -283.5, w: 411.37, h: 283.5 };
  for (const scale of [1.0416667, 0.73, 1.302069, 2]) {
    for (const size of [{ width: 700, height: 500 }, { width: 300, height: 200 }]) {
      const { width, height, box } = pictureOf(full, scale, size);
      assert.ok(Number.isInteger(width) && Number.isInteger(height), `${width} × ${height}`);
      assert.ok(width >= size.width && height >= size.height);
      assert.ok(Math.abs(width / box.w - scale) < 1e-12 && Math.abs(height / box.h - scale) < 1e-12);
      // the graph sits in the picture's middle
      assert.ok(Math.abs(box.x + box.w / 2 - (full.x + full.w / 2)) < 1e-9);
    }
  }
});

test("the fitting scale leaves the margin around the graph", () => {
  const scale = fitScale({ x: 0, y: 0, w: 100, h: 50 }, { width: 216, height: 400 });
  assert.equal(scale, 2);
});
