// The overview map of a graph that does not fit its pane: the whole graph in miniature (its nodes as boxes, no
// text), the part in view outlined; a click or a drag on it moves the view there. Drawn on a <canvas> over the pane's
// bottom right corner, where it covers no node in view: where it would, it folds away by itself (a learner reads the
// node; the 1D example's AccumulateGrad (x) had the map over half its text at steps 3-5), but for a big graph, which
// opens on its output with the map to move around (faint over the nodes it lies on, a node gone to panned clear of
// it). A button among the pane's zoom buttons shows it anyway (faint over the nodes then) or folds it away for good.

const SIDE = 96; // CSS px: the map fits in a square this big,
const SHARE = 0.28; // or in this share of the pane's shorter side when that is smaller,
const LEAST = 48; // but no smaller than this
const MARGIN = 4;
const OFFSET = 8; // CSS px from the pane's right and bottom edges (gradwalk.css: .overview)
const GAP = 6; // CSS px kept free between the map and a node panned clear of it
const BIG = 2; // a graph this many times its pane across or down keeps its map over nodes (it is the way around)

// The map's size (CSS px) for a graph box `full` in a pane of `pane` size, and the scale from graph units to it.
export function mapSize(full, pane) {
  const side = Math.max(LEAST, Math.min(SIDE, SHARE * Math.min(pane.width, pane.height)));
  const ratio = side / Math.max(full.w, full.h);
  return {
    ratio,
    width: Math.max(24, full.w * ratio) + 2 * MARGIN,
    height: Math.max(24, full.h * ratio) + 2 * MARGIN,
  };
}

// The corner of the pane the map covers (its offset from the edges and a gap included; folded away for good, none):
// panzoom keeps room for it and pans a node it would hide clear of it.
export function mapCorner(full, pane, folded = false) {
  if (folded) return { width: 0, height: 0 };
  const size = mapSize(full, pane);
  return { width: size.width + OFFSET + GAP, height: size.height + OFFSET + GAP };
}

// Whether a map of `size` in the bottom right corner of the view `v` (graph units) of a pane of `pane` size (CSS
// px) lies over any of `boxes` (graph units).
export function mapCovers(boxes, v, pane, size) {
  const scale = pane.width / v.w;
  const left = v.x + (pane.width - OFFSET - size.width) / scale;
  const top = v.y + (pane.height - OFFSET - size.height) / scale;
  const right = v.x + (pane.width - OFFSET) / scale;
  const bottom = v.y + (pane.height - OFFSET) / scale;
  return boxes.some((b) => b.x < right && b.x + b.w > left && b.y < bottom && b.y + b.h > top);
}

export class Overview {
  // `texts()`: the map's label and its button's two ({map, hide, show}), in the page's language. The map goes in
  // `parent` (the pane), its button in `buttons` (the pane's zoom buttons).
  constructor(parent, texts, buttons = parent) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "overview";
    this.canvas.setAttribute("role", "img");
    this.canvas.hidden = true;
    this.toggle = document.createElement("button");
    this.toggle.type = "button";
    this.toggle.className = "overview-toggle";
    this.toggle.hidden = true;
    this.folded = null; // the learner's choice: true folded away, false shown even over nodes, null the page's
    this.big = false; // the graph is more than BIG times its pane (update)
    this.texts = texts;
    parent.append(this.canvas);
    buttons.append(this.toggle);
    this.parent = parent;
    this.label();
    this.toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      this.folded = !this.canvas.hidden;
      this.update();
      if (this.controls) this.controls.relayout(); // (the corner it keeps free changed)
    });
    this.controls = null;
    this.boxes = [];
    this.marks = new Map(); // box index -> colour (the running node, the selected one)
    let dragging = false;
    const move = (event) => {
      if (!this.controls) return;
      const point = this.toGraph(event);
      this.controls.centerOnPoint(point.x, point.y);
    };
    this.canvas.addEventListener("pointerdown", (event) => {
      event.stopPropagation(); // not a drag of the graph under it
      dragging = true;
      if (this.canvas.setPointerCapture) this.canvas.setPointerCapture(event.pointerId);
      move(event);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      event.stopPropagation();
      if (dragging) move(event);
    });
    const stop = (event) => {
      event.stopPropagation();
      dragging = false;
    };
    this.canvas.addEventListener("pointerup", stop);
    this.canvas.addEventListener("pointercancel", stop);
    this.canvas.addEventListener("click", (event) => event.stopPropagation());
    this.canvas.addEventListener("wheel", (event) => event.stopPropagation(), { passive: true });
  }

  label() {
    const texts = this.texts();
    this.canvas.setAttribute("aria-label", texts.map);
    this.canvas.title = texts.map;
    const shown = !this.canvas.hidden;
    const action = shown ? texts.hide : texts.show;
    this.toggle.setAttribute("aria-label", action);
    this.toggle.title = action;
    this.toggle.setAttribute("aria-expanded", String(shown));
    this.toggle.textContent = "▣";
  }

  // What the map covers of a pane of `pane` size (mapCorner).
  corner(full, pane) {
    return mapCorner(full, pane, this.folded === true);
  }

  // Whether the map folds away by itself where it would cover a node (the learner chose neither way, and the graph is
  // not big: a big one keeps its map to move around, faint over the nodes it lies on).
  get yields() {
    return this.folded === null && !this.big;
  }

  // A new picture: `controls` (panzoom's) and the boxes of its nodes in graph coordinates.
  attach(controls, boxes) {
    this.controls = controls;
    this.boxes = boxes;
    this.marks = new Map();
    this.sized = null;
    this.update();
  }

  // The map's size follows the pane's (the inspector opens, the window turns).
  resize() {
    const pane = this.controls.pane;
    const key = `${pane.width}x${pane.height}`;
    if (this.sized === key) return;
    this.sized = key;
    const size = mapSize(this.controls.full, pane);
    this.ratio = size.ratio;
    this.size = { width: size.width, height: size.height };
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.size.width * dpr);
    this.canvas.height = Math.round(this.size.height * dpr);
    this.canvas.style.width = `${this.size.width}px`;
    this.canvas.style.height = `${this.size.height}px`;
  }

  detach() {
    this.controls = null;
    this.show(false, true);
  }

  mark(indexes, colour) {
    for (const [i, c] of [...this.marks]) if (c === colour) this.marks.delete(i);
    for (const i of indexes) this.marks.set(i, colour);
    this.update();
  }

  toGraph(event) {
    const rect = this.canvas.getBoundingClientRect();
    const full = this.controls.full;
    const offset = this.offset();
    return {
      x: full.x + (event.clientX - rect.left - offset.x) / this.ratio,
      y: full.y + (event.clientY - rect.top - offset.y) / this.ratio,
    };
  }

  offset() {
    const full = this.controls.full;
    return {
      x: (this.size.width - full.w * this.ratio) / 2,
      y: (this.size.height - full.h * this.ratio) / 2,
    };
  }

  // The map shown or not, its button hidden or not (and saying what a click will do).
  show(map, fits) {
    const changed = this.canvas.hidden === map || this.toggle.hidden !== fits;
    this.canvas.hidden = !map;
    this.toggle.hidden = fits;
    this.parent.classList.toggle("mapped", map); // (the pane keeps nodes it scrolls to clear of it)
    if (changed) this.label();
  }

  // Draws the map again (the view moved): hidden while the whole graph is in view, and where it would lie over a
  // node in view unless the learner asked for it (faint then: the node's text reads through it, gradwalk.css).
  update() {
    const controls = this.controls;
    if (!controls) return;
    const fits = controls.fits();
    if (fits || this.folded === true) {
      this.show(false, fits);
      return;
    }
    this.resize();
    const v = controls.viewBox();
    const pane = controls.pane;
    const scale = pane.width / v.w;
    // (a graph more than BIG times its pane across or down at the scale shown opens on its output with the map)
    this.big = controls.full.w * scale > BIG * pane.width || controls.full.h * scale > BIG * pane.height;
    const over = mapCovers(this.boxes, v, pane, this.size);
    this.show(!over || this.folded === false || this.big, false);
    if (this.canvas.hidden) return;
    this.canvas.classList.toggle("over-nodes", over);
    const context = this.canvas.getContext("2d");
    if (!context) return;
    const dpr = window.devicePixelRatio || 1;
    const full = controls.full;
    const offset = this.offset();
    const at = (x, y) => [offset.x + (x - full.x) * this.ratio, offset.y + (y - full.y) * this.ratio];
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    context.clearRect(0, 0, this.size.width, this.size.height);
    context.fillStyle = "rgba(255, 255, 255, 0.92)";
    context.fillRect(0, 0, this.size.width, this.size.height);
    this.boxes.forEach((b, i) => {
      const [x, y] = at(b.x, b.y);
      context.fillStyle = this.marks.get(i) || "#9aa5b1";
      context.fillRect(x, y, Math.max(2, b.w * this.ratio), Math.max(2, b.h * this.ratio));
    });
    const [x, y] = at(v.x, v.y);
    context.strokeStyle = "#c2410c";
    context.lineWidth = 2;
    context.strokeRect(x, y, v.w * this.ratio, v.h * this.ratio);
  }
}
