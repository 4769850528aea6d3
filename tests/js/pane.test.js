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
  assert.equal(LINE.length, 27); // (26 units long: a point a unit)
  assert.deepEqual(LINE[0], { x: 61, y: -99.25 });
  assert.ok(Math.abs(LINE.at(-1).y + 73.86) < 1e-9);
  assert.deepEqual(pathPoints(""), []);
});

test("a label moves right of its line and of the arrowhead's corner under it, or halfway to what is beside it", () => {
  assert.equal(labelShift(FOUR, LINE), 4); // (the line alone)
  assert.equal(labelShift(FOUR, LINE, HEAD), 64.5 + 4 - 61);
  assert.equal(labelShift({ ...FOUR, x: 70 }, LINE, HEAD), 0); // (clear already)
  const neighbour = { x: 61 + 6.67 + 9, y: -95, width: 40, height: 20 };
  assert.equal(labelShift(FOUR, LINE, HEAD, [neighbour]), (7.5 + 5) / 2); // (halfway: no room for both gaps)
  assert.equal(labelShift(FOUR, LINE, HEAD, [{ ...neighbour, x: 90 }]), 7.5); // (room for both)
  assert.equal(labelShift(FOUR, LINE, HEAD, [{ x: 70, y: -85 }]), (7.5 + 70 - 4 - 67.67) / 2); // (another arrow's point)
  assert.equal(labelShift(FOUR, LINE, HEAD, [{ ...neighbour, y: -40 }]), 7.5); // (not beside it)
  // a line that passes only above or below the label leaves it be
  assert.equal(labelShift({ ...FOUR, y: -140 }, LINE), 0);
});
