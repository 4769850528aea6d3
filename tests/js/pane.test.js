// An edge's label kept clear of its arrow (static/js/pane.js): Graphviz starts the label's box where the line passes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { labelShift, pathPoints } from "../../static/js/pane.js";

// The tutorial's `4`, as Graphviz drew it: the line at x = 61, the arrowhead's corners 3.5 either side, the label's
// box from the line right (12 px text, baseline at -78.4).
const LINE = pathPoints("M61,-99.25C61,-90.92 61,-82.17 61,-73.86");
const HEAD = [{ x: 64.5, y: -73.63 }, { x: 61, y: -63.63 }, { x: 57.5, y: -73.63 }];
const FOUR = { x: 61, y: -89.8, width: 6.67, height: 14.4 };

test("a Graphviz path is read as points along its curves", () => {
  assert.equal(LINE.length, 9);
  assert.deepEqual(LINE[0], { x: 61, y: -99.25 });
  assert.ok(Math.abs(LINE[8].y + 73.86) < 1e-9);
  assert.deepEqual(pathPoints(""), []);
});

test("a label moves right of its line and of the arrowhead's corner under it, as far as its neighbour allows", () => {
  assert.equal(labelShift(FOUR, LINE), 4); // (the line alone)
  assert.equal(labelShift(FOUR, [...LINE, ...HEAD]), 64.5 + 4 - 61);
  assert.equal(labelShift({ ...FOUR, x: 70 }, [...LINE, ...HEAD]), 0); // (clear already)
  const neighbour = { x: 61 + 6.67 + 9, y: -95, width: 40, height: 20 };
  assert.equal(labelShift(FOUR, [...LINE, ...HEAD], [neighbour]), 5);
  assert.equal(labelShift(FOUR, [...LINE, ...HEAD], [{ ...neighbour, y: -40 }]), 7.5); // (not beside it)
});
