// The overview map of a graph that does not fit its pane: the whole graph in miniature (its nodes as boxes, no
// text), the part in view outlined; a click or a drag on it moves the view there. Drawn on a <canvas>. A small
// button above it folds it away (and back), for a learner who would rather have the corner of the graph.

const SIDE = 96; // CSS px: the map fits in a square this big,
const SHARE = 0.28; // or in this share of the pane's shorter side when that is smaller,
const LEAST = 48; // but no smaller than this
const MARGIN = 4;
const OFFSET = 8; // CSS px from the pane's right and bottom edges (gradwalk.css: .overview)
const GAP = 6; // CSS px kept free between the map and a node panned clear of it
const TOGGLE = 24; // CSS px: the button that folds the map away, above it (gradwalk.css: .overview-toggle)

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

// The corner of the pane the map and its button cover (their offset from the edges and a gap included; folded
// away, the button alone): panzoom keeps room for it and pans a node it would hide clear of it.
export function mapCorner(full, pane, folded = false) {
  if (folded) return { width: TOGGLE + OFFSET + GAP, height: TOGGLE + OFFSET + GAP };
  const size = mapSize(full, pane);
  return { width: Math.max(size.width, TOGGLE) + OFFSET + GAP, height: size.height + TOGGLE + 2 + OFFSET + GAP };
}

export class Overview {
  // `texts()`: the map's label and its button's two ({map, hide, show}), in the page's language.
  constructor(parent, texts) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "overview";
    this.canvas.setAttribute("role", "img");
    this.canvas.hidden = true;
    this.toggle = document.createElement("button");
    this.toggle.type = "button";
    this.toggle.className = "overview-toggle";
    this.toggle.hidden = true;
    this.folded = false;
    this.texts = texts;
    this.label();
    parent.append(this.canvas, this.toggle);
    this.parent = parent;
    this.toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      this.folded = !this.folded;
      this.label();
      this.update();
      if (this.controls) this.controls.relayout(); // (the corner it keeps free changed)
    });
    for (const type of ["pointerdown", "pointermove", "pointerup", "wheel"]) {
      this.toggle.addEventListener(type, (event) => event.stopPropagation(), { passive: true });
    }
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
    const action = this.folded ? texts.show : texts.hide;
    this.toggle.setAttribute("aria-label", action);
    this.toggle.title = action;
    this.toggle.setAttribute("aria-expanded", String(!this.folded));
    this.toggle.textContent = this.folded ? "▣" : "−";
  }

  // What the map and its button cover of a pane of `pane` size (mapCorner).
  corner(full, pane) {
    return mapCorner(full, pane, this.folded);
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
    this.toggle.style.bottom = `${OFFSET + this.size.height + 2}px`; // just above the map, at its right edge
  }

  detach() {
    this.controls = null;
    this.canvas.hidden = true;
    this.toggle.hidden = true;
    this.parent.classList.remove("mapped");
  }

  mark(indexes, colour) {
    for (const [i, c] of [...this.marks]) if (c === colour) this.marks.delete(i);
    for (const i of indexes) this.marks.set(i, colour);
    this.update();
  }

  // Whether the map (and its button above it) lies over a node of the part of the graph in view `v`: it is drawn faint
  // then, and the node's text reads through it (gradwalk.css), as it is whole where the pointer is on it.
  coversNodes(v) {
    const pane = this.controls.pane;
    const scale = pane.width / v.w;
    const left = v.x + (pane.width - OFFSET - this.size.width) / scale;
    const top = v.y + (pane.height - OFFSET - this.size.height - TOGGLE - 2) / scale;
    const right = v.x + (pane.width - OFFSET) / scale;
    const bottom = v.y + (pane.height - OFFSET) / scale;
    return this.boxes.some((b) => b.x < right && b.x + b.w > left && b.y < bottom && b.y + b.h > top);
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

  // Draws the map again (the view moved); hidden while the whole graph is in view.
  update() {
    const controls = this.controls;
    if (!controls) return;
    const fits = controls.fits();
    this.toggle.hidden = fits;
    this.canvas.hidden = fits || this.folded;
    this.parent.classList.toggle("mapped", !this.canvas.hidden); // (the pane keeps nodes it scrolls to clear of it)
    if (this.canvas.hidden) return;
    this.resize();
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
    const v = controls.viewBox();
    this.canvas.classList.toggle("over-nodes", this.coversNodes(v));
    const [x, y] = at(v.x, v.y);
    context.strokeStyle = "#c2410c";
    context.lineWidth = 2;
    context.strokeRect(x, y, v.w * this.ratio, v.h * this.ratio);
  }
}
