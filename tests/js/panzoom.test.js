// The picture a pane draws: whole CSS px, at exactly the scale asked for, never smaller than the pane.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fitScale, pictureOf, placing } from "../../static/js/panzoom.js";

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

test("a picture keeps room for the overview map's corner: any node can be panned clear of it", () => {
  const full = { x: 0, y: -800, w: 1000, h: 800 };
  const size = { width: 330, height: 335 };
  const reserve = { width: 110, height: 120 };
  const scale = 0.9;
  const { width, height, box } = pictureOf(full, scale, size, reserve);
  // scrolled to its end, the view's bottom right corner (what the map covers) holds none of the graph
  const px = (graph, origin) => (graph - origin) * scale;
  assert.ok(width - px(full.x + full.w, box.x) >= reserve.width, "room right of the graph");
  assert.ok(height - px(full.y + full.h, box.y) >= reserve.height, "room below the graph");
  // the graph starts at the margin, as it does without the map
  assert.ok(Math.abs(px(full.x, box.x) - 8) < 0.5 && Math.abs(px(full.y, box.y) - 8) < 0.5); // (whole px)
});

test("a graph that fits one way sits in the middle of the part of the pane the map leaves free", () => {
  const full = { x: 0, y: 0, w: 100, h: 2000 }; // narrow and tall: the map is shown, the pane is wide enough
  const size = { width: 400, height: 300 };
  const reserve = { width: 60, height: 120 };
  const { width, box } = pictureOf(full, 1, size, reserve);
  assert.equal(width, 400);
  const left = full.x - box.x;
  const right = width - (full.x + full.w - box.x);
  assert.ok(Math.abs(left - (right - reserve.width)) < 1e-9, `${left} ${right}`);
  assert.ok(right >= reserve.width);
});

test("what a step shows together goes to the pane's middle, moved up or left as little as clears the map", () => {
  const size = { width: 400, height: 300 };
  const corner = { width: 80, height: 120 };
  // a node and the two it sends to, below it left and right: in the middle, the right one is under the map
  const node = { x: 100, y: 0, w: 100, h: 60 };
  const sent = [node, { x: 0, y: 120, w: 100, h: 40 }, { x: 200, y: 120, w: 100, h: 40 }];
  assert.deepEqual(placing([node], size, corner), { x: 150, y: 120 });
  const wideMap = { width: 200, height: 80 };
  for (const [map, at] of [
    [corner, { x: 12, y: 70 }], // 38 px left (58 up would do too)
    [wideMap, { x: 50, y: 52 }], // 18 px up (158 left would not fit)
  ]) {
    assert.deepEqual(placing(sent, size, map), at);
    for (const b of sent) {
      const clear = at.x + b.x + b.w <= size.width - map.width - 8 || at.y + b.y + b.h <= size.height - map.height - 8;
      assert.ok(clear, JSON.stringify(b));
    }
  }
  // too wide to clear it either way, or too big for the pane: none
  const wide = [node, { x: -40, y: 120, w: 100, h: 40 }, { x: 240, y: 120, w: 100, h: 40 }];
  assert.equal(placing(wide, size, { width: 80, height: 200 }), null);
  assert.equal(placing([{ x: 0, y: 0, w: 390, h: 10 }], size, corner), null);
  // no map: in the middle, whatever is in the corner
  assert.deepEqual(placing(sent, size, { width: 0, height: 0 }), { x: 50, y: 70 });
});
