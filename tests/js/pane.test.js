// An edge's label kept clear of its arrow (static/js/pane.js): Graphviz starts the label's box where the line passes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { labelShift, obstacles, pathPoints } from "../../static/js/pane.js";

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
  const beside = (...others) => {
    const found = obstacles();
    for (const other of others) found.add(other);
    return labelShift(FOUR, LINE, HEAD, found.roomRight(FOUR, "its own"));
  };
  assert.equal(beside(neighbour), (7.5 + 5) / 2); // (halfway: no room for both gaps)
  assert.equal(beside({ ...neighbour, x: 90 }), 7.5); // (room for both)
  assert.equal(beside({ x: 70, y: -85 }), (7.5 + 70 - 4 - 67.67) / 2); // (another arrow's point)
  assert.equal(beside({ ...neighbour, y: -40 }), 7.5); // (not beside it)
  assert.equal(beside({ ...neighbour, x: 50 }, { ...neighbour, x: 90 }), 7.5); // (one to its left is not in its way)
  // a line that passes only above or below the label leaves it be
  assert.equal(labelShift({ ...FOUR, y: -140 }, LINE), 0);
});

// `torch.stack([w] * 1000)`: a thousand arrows from one node to a row of a thousand, fanning out across a picture
// 100,000 units wide. Every point of every arrow looked at for every label held the page a minute, then passed the
// size a Set may have (the run's page said its data could not be read); a long curve is read at most 400 points, and a
// label looks right of it only as far as the first obstacle (app/render.py does the same). The bound is a tenth of that
// minute, not a speed: about 0.2 s here, it took 1.3 s once on a machine loaded several times over.
test("a thousand arrows fanning out across a wide picture place their labels in a moment", () => {
  assert.equal(pathPoints("M0,0C0,-100 100000,-200 100000,-300").length, 401);
  const labels = [];
  const found = obstacles();
  for (let k = 0; k < 1000; k++) {
    const end = (k - 500) * 100;
    const line = pathPoints(`M0,0C0,-100 ${end},-200 ${end},-300`);
    const box = { x: line[200].x, y: line[200].y - 7, width: 20, height: 14 };
    labels.push({ box, line });
    found.add(box);
    for (const point of line) found.add(point, labels[k]);
  }
  const started = performance.now();
  const moves = labels.map((label) => labelShift(label.box, label.line, [], found.roomRight(label.box, label)));
  const ms = performance.now() - started;
  assert.ok(ms < 6000, `${ms} ms`);
  assert.ok(moves.every((move) => move >= 0 && Number.isFinite(move)));
});
