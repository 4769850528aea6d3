// One graph pane: lays the server's DOT out in a Web Worker (Viz.js), shows the SVG with pan and zoom at the scale
// the viewer chooses (an overview map when the graph does not fit), and makes every node a keyboard-reachable
// button (named by its record's text) that reports hover, focus and clicks by the id of the Run's node it draws.
// While stepping through backward it hides the gradients not yet computed and lights the running node and edges.

import { t } from "./i18n.js";
import { Overview } from "./overview.js";
import { panZoom } from "./panzoom.js";
import { pictureOf } from "./svg.js";

const GROUP_COUNT = /^(\d+) nodes$/; // the last line of a folded group's label (render.py's _group)
// Graphviz puts an edge's label with its left edge on the arrow's line (dot's place_vnlabel: the label's box starts
// where the edge passes, at its middle), so a gradient such as `4` touched its arrow, the arrowhead's corner under it,
// and the halo under its letters cut into the line. Each label is moved right until it is this far (graph units,
// about as many CSS px) from its arrow (labelShift).
const EDGE_LABEL_GAP = 4;

// The points of a Graphviz edge's path (`M x,y C x,y x,y x,y …`): along each of its cubic curves, a point every unit
// or so of the way from its start to its end (at least eight, at most CURVE_POINTS, as app/render.py's _bezier).
// Unbounded, `torch.stack([w] * 1000)`'s arrows fanning out across a picture 100,000 units wide were 25 million points.
const CURVE_POINTS = 400;
export function pathPoints(d) {
  const n = (d.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) || []).map(Number);
  const points = n.length >= 2 ? [{ x: n[0], y: n[1] }] : [];
  for (let i = 2; i + 5 < n.length; i += 6) {
    const [x0, y0] = [n[i - 2], n[i - 1]];
    const count = Math.max(8, Math.min(CURVE_POINTS, Math.ceil(Math.hypot(n[i + 4] - x0, n[i + 5] - y0))));
    for (let k = 1; k <= count; k++) {
      const t = k / count;
      const [a, b, c, e] = [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3];
      points.push({ x: a * x0 + b * n[i] + c * n[i + 2] + e * n[i + 4], y: a * y0 + b * n[i + 1] + c * n[i + 3] + e * n[i + 5] });
    }
  }
  return points;
}

// How far right (graph units) a label of box `box` moves to keep EDGE_LABEL_GAP from its arrow: from the points of its
// line beside it (`line`), and from its arrowhead's (`head`) up to that far above or below it (the corner of a short
// arrow's head is just under its label). `room`, how far right of it (less the gap) the first obstacle beside it is
// (a box of a node or of another label, a point of another arrow: `obstacles().roomRight`), bounds it: where there is
// not room for both gaps, it goes halfway between its line and that obstacle (linear-2d's `[[-8.1], [-16.3]]` between
// its arrow and the one to b, which a move of the whole gap made it touch). (Loops, not Math.max(...points): an
// arrow's points may be more than a call takes arguments.)
export function labelShift(box, line, head = [], room = Infinity) {
  const bottom = box.y + box.height;
  let wanted = 0;
  for (const p of line) if (p.y >= box.y && p.y <= bottom) wanted = Math.max(wanted, p.x + EDGE_LABEL_GAP - box.x);
  for (const p of head) {
    if (p.y > box.y - EDGE_LABEL_GAP && p.y < bottom + EDGE_LABEL_GAP) wanted = Math.max(wanted, p.x + EDGE_LABEL_GAP - box.x);
  }
  return Math.max(0, wanted <= room ? wanted : (wanted + room) / 2);
}

// What may be to the right of a label, by bands of graph units down the picture, each band sorted by left edge: `add`
// a box (or a point) with its owner, and `roomRight` looks right of a box from its own right edge on and stops at the
// first obstacle beside it that is not one of `own`'s (app/render.py's _room_right). A wide rank's arrows share its
// bands: every point of every arrow looked at for every label held the page a minute for `torch.stack([w] * 1000)`,
// and collected in a Set passed the size a Set may have (the run's page said its data could not be read).
const BAND = 32;
export function obstacles() {
  const bands = new Map();
  let sorted = true;
  return {
    add(o, owner = null) {
      for (let k = Math.floor(o.y / BAND); k <= Math.floor((o.y + (o.height || 0)) / BAND); k++) {
        (bands.get(k) || bands.set(k, []).get(k)).push({ o, owner });
      }
      sorted = false;
    },
    roomRight(box, own) {
      if (!sorted) for (const band of bands.values()) band.sort((a, b) => a.o.x - b.o.x);
      sorted = true;
      const right = box.x + box.width;
      const bottom = box.y + box.height;
      let room = Infinity;
      const from = Math.floor((box.y - EDGE_LABEL_GAP) / BAND);
      const to = Math.floor((bottom + EDGE_LABEL_GAP) / BAND);
      for (let k = from; k <= to; k++) {
        const items = bands.get(k) || [];
        for (let i = firstRightOf(items, right - 0.5); i < items.length; i++) {
          const { o, owner } = items[i];
          if (o.x - EDGE_LABEL_GAP - right >= room) break; // (sorted by left edge: nothing further along is nearer)
          const beside = o.y <= bottom + EDGE_LABEL_GAP && o.y + (o.height || 0) >= box.y - EDGE_LABEL_GAP;
          if (beside && owner !== own && o !== box) {
            room = o.x - EDGE_LABEL_GAP - right;
            break;
          }
        }
      }
      return room;
    },
  };
}

// The first of `items` (sorted by left edge) whose left edge is at `x` or right of it.
function firstRightOf(items, x) {
  let [low, high] = [0, items.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle].o.x < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

const boxOfAll = (boxes) => {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
};

// A label line's box: across, as drawn; up and down, its font's whole line from its baseline (as measured before the
// page's fonts are all in, a line was drawn 12.75 units tall, then 13.44).
function textBox(text) {
  const drawn = text.getBBox();
  const size = Number(text.getAttribute("font-size")) || drawn.height;
  return { x: drawn.x, width: drawn.width, y: Number(text.getAttribute("y")) - 0.95 * size, height: 1.2 * size };
}

// Moves each edge's label clear of its arrow (all measured first, then moved: one layout of the picture).
function clearOfArrows(svg) {
  const labels = [];
  for (const g of svg.querySelectorAll("g[data-edge]")) {
    const texts = [...g.querySelectorAll("text")];
    const path = g.querySelector("path");
    if (!texts.length || !path) continue;
    const head = [...g.querySelectorAll("polygon")].flatMap((p) => [...p.points].map(({ x, y }) => ({ x, y })));
    labels.push({ texts, box: boxOfAll(texts.map(textBox)), line: pathPoints(path.getAttribute("d") || ""), head });
  }
  if (!labels.length) return;
  const others = obstacles();
  for (const g of svg.querySelectorAll("g[data-node]")) others.add(g.getBBox());
  for (const label of labels) {
    others.add(label.box);
    for (const point of [...label.line, ...label.head]) others.add(point, label);
  }
  const moves = labels.map((label) => labelShift(label.box, label.line, label.head, others.roomRight(label.box, label)));
  labels.forEach(({ texts }, i) => {
    if (moves[i] > 0) for (const text of texts) text.setAttribute("x", String(Number(text.getAttribute("x")) + moves[i]));
  });
}

const TOUCH_HINT_MS = 2500; // how long "Use two fingers to move the graph" shows
let touchHinted = false; // once a page: by then the person knows

// The page's policy (Trusted Types) takes no script URL from a plain string: this is the one it may start.
const WORKER = "/static/js/layout-worker.js";
const workerUrls = globalThis.trustedTypes
  ? globalThis.trustedTypes.createPolicy("gradwalk-worker", {
      createScriptURL: (url) => {
        if (url !== WORKER) throw new TypeError(`not the layout worker: ${url}`);
        return url;
      },
    })
  : { createScriptURL: (url) => url };

// The longest the page lets Graphviz lay one graph out, in seconds, unless `limits.layout` says
// (GRADWALK_PAGE_LAYOUT_TIMEOUT_S): the server's own pictures give up after GRADWALK_RENDER_TIMEOUT_S (10 s), and
// Graphviz in WebAssembly, on a reader's machine, may take a few times longer.
export const LAYOUT_MAX_S = 30;

// Where DOT is laid out: the page's worker, unless a document that carries its own Graphviz (embed.js) says how.
let layoutWith = null;
export function setLayout(layout) {
  layoutWith = layout;
}

// A node drawn once per use (app/render.py's SHARED_USES) is named "<id>~<k>": each copy stands for node <id>.
export const nodeOf = (dotId) => dotId.replace(/~\d+$/, "");

// The texts of a node's record that are gradients (app/render.py writes each as a field `grad …`, its rows on
// the lines under it): from the first such field to the first saved value, or to the end.
const SAVED_FIELD = /^(saved|저장) /; // (as the labels write it in English or, with Korean formulas, in Korean)
const NO_GRAD = "grad None"; // (app/render.py: a tensor that requires grad and got none)
const PENDING = "grad ?"; // a node's gradient not known yet at the step shown (the step panel says why), in a word

export function gradientTexts(texts) {
  const start = texts.findIndex((text, i) => i > 0 && (text === "grad" || text.startsWith("grad ")));
  if (start < 0) return [];
  const end = texts.findIndex((text, i) => i > start && SAVED_FIELD.test(text));
  return texts.slice(start, end < 0 ? texts.length : end).map((_, i) => start + i);
}

export class Pane {
  // `limits.draw` nodes, `limits.edges` edges (or twice the nodes): larger or denser graphs are offered as DOT and
  // JSON, Graphviz would take too long (GRADWALK_PAGE_DRAW_MAX_NODES, GRADWALK_RENDER_MAX_EDGES; render.too_dense);
  // a layout past `limits.layout` seconds is stopped (LAYOUT_MAX_S)
  constructor(root, limits, { onHover, onSelect, onZoom, onAction }) {
    this.root = root;
    this.canvas = root.querySelector(".canvas");
    this.drawMax = limits.draw;
    this.drawEdges = limits.edges;
    this.layoutMax = limits.layout || LAYOUT_MAX_S;
    this.onHover = onHover;
    this.onSelect = onSelect;
    this.onZoom = onZoom;
    this.seq = 0; // of the worker's messages
    this.drawing = 0; // of the drawings asked for: only the last one is shown
    this.pending = new Map(); // seq -> {dot, done}
    this.worker = layoutWith ? null : this.startWorker();
    this.controls = null;
    this.listening = null;
    this.clear();
    const texts = () => ({ map: t("overview_map"), hide: t("overview_hide"), show: t("overview_show") });
    this.overview = new Overview(root, texts, root.querySelector(".zoom") || root);
    for (const button of root.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => this.controls && onAction(button.dataset.zoom));
    }
  }

  clear() {
    this.drawn = new Map(); // node id -> its <g> elements (copies of a shared node: several)
    this.edges = new Map(); // edge index in the Run -> its <g>
    this.grads = new Map(); // node id -> the <text> elements of its gradients, one list per drawn copy of the node
    this.counts = []; // the folded groups' node counts: {text, n}
    this.minFont = null; // the smallest label, in graph units
    this.boxes = []; // each node's graph box
  }

  startWorker() {
    const worker = new Worker(workerUrls.createScriptURL(WORKER));
    worker.onmessage = (event) => this.answer(event.data.seq, event.data);
    // A worker that could not load its script or Graphviz (the server away, a refused policy) is said at once, not
    // 30 s later as a layout that took too long; the next drawing starts another.
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker !== worker) return; // (one already stopped)
      worker.terminate();
      this.worker = null;
      const error = event.message || "the layout worker did not start";
      for (const seq of [...this.pending.keys()]) this.answer(seq, { error });
    };
    for (const [seq, { dot }] of this.pending) worker.postMessage({ seq, dot }); // (those a stopped worker held)
    return worker;
  }

  answer(seq, result) {
    const job = this.pending.get(seq);
    this.pending.delete(seq);
    if (job) job.done(result);
    if (this.worker) this.startFirst();
  }

  // The worker lays its jobs out one at a time, in order: the first one waiting is the one it works on.
  startFirst() {
    const first = this.pending.values().next().value;
    if (first) first.start();
  }

  // Graphviz's layout of `dot` ({svg} or {error}), or {slow} once it has taken `layoutMax` s: then the worker is
  // ended (a graph of a thousand nodes, written by a ten-line snippet, kept it busy for minutes) and another takes
  // the layouts still waiting. The clock runs from when Graphviz starts on it: a layout waiting behind another (the
  // other pane's, in a notebook's shared worker; one a newer drawing replaced) is not slow.
  layout(dot) {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      const job = { dot, timer: null };
      job.start = () => {
        if (job.timer === null) job.timer = setTimeout(() => this.tooSlow(seq), this.layoutMax * 1000);
      };
      job.done = (result) => {
        clearTimeout(job.timer);
        resolve(result);
      };
      if (!layoutWith) this.worker ??= this.startWorker(); // (before the job is waiting: it is sent once)
      this.pending.set(seq, job);
      if (!layoutWith) {
        this.worker.postMessage({ seq, dot });
        this.startFirst();
      } else {
        layoutWith(dot, job.start).then(
          (result) => this.answer(seq, result),
          (error) => this.answer(seq, { error: String((error && error.message) || error) }),
        );
      }
    });
  }

  tooSlow(seq) {
    const job = this.pending.get(seq);
    if (!job) return;
    this.pending.delete(seq);
    if (!layoutWith) {
      this.worker?.terminate();
      this.worker = this.startWorker();
      this.startFirst();
    } else if (layoutWith.drop) layoutWith.drop(job.dot);
    job.done({ slow: true });
  }

  // A message in place of a graph: `say()` gives it in the language shown, and says it again when that changes.
  message(say) {
    this.drawing++; // a drawing still under way is no longer wanted
    this.canvas.replaceChildren();
    const p = document.createElement("p");
    p.className = "pane-message";
    this.said = typeof say === "function" ? say : () => say;
    p.textContent = this.said();
    this.canvas.append(p);
    if (this.listening) this.listening.abort();
    this.controls = null;
    this.clear();
    this.overview.detach();
    this.root.dataset.state = "message";
  }

  // Draws a graph of `count` nodes and `edges` edges from its DOT (`readDot()` asks the server for it, when there is
  // something to draw); resolves once the picture is in the page.
  async draw(count, edges, emptyText, readDot) {
    if (count === 0) return this.message(emptyText);
    if (count > this.drawMax) return this.message(() => t("too_big", { n: count, max: this.drawMax }));
    if (edges > Math.max(this.drawEdges, 2 * count)) return this.message(() => t("too_dense", { n: count, edges, max: this.drawEdges }));
    this.root.dataset.state = "drawing";
    const ticket = ++this.drawing;
    let source;
    try {
      source = await readDot();
    } catch (error) {
      if (ticket === this.drawing) this.message(() => t("layout_failed", { message: error.message }));
      return undefined;
    }
    if (ticket !== this.drawing) return undefined; // a newer drawing was asked for meanwhile
    const result = await this.layout(source);
    if (ticket !== this.drawing) return undefined;
    if (result.slow) return this.message(() => t("too_slow", { s: this.layoutMax }));
    if (result.error) return this.message(() => t("layout_failed", { message: result.error }));
    return this.show(result.svg);
  }

  // The picture is rebuilt from Graphviz's SVG, never inserted as markup (svg.js keeps only what a drawing is made
  // of); nodes become focusable buttons on the way in.
  show(markup) {
    const size = { width: this.canvas.clientWidth, height: this.canvas.clientHeight };
    let svg;
    try {
      svg = pictureOf(markup);
    } catch (error) {
      return this.message(() => t("layout_failed", { message: error.message }));
    }
    this.clear();
    for (const g of svg.querySelectorAll("g[data-node]")) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      const id = nodeOf(g.getAttribute("data-node"));
      (this.drawn.get(id) || this.drawn.set(id, []).get(id)).push(g);
      const texts = [...g.querySelectorAll("text")];
      const grads = gradientTexts(texts.map((text) => text.textContent)).map((i) => texts[i]);
      // (each copy apart: a weight a training loop reads in each step is drawn once per use, and its copies' texts
      // taken as one label's lines hid every copy's gradient at an earlier pass's step, a blank row in AccumulateGrad)
      if (grads.length) this.grads.set(id, [...(this.grads.get(id) || []), grads]);
      // a folded group's count, written in English by the server (`12 nodes`), in the page's language
      const count = texts.length > 1 && GROUP_COUNT.exec(texts[texts.length - 1].textContent);
      if (count) this.counts.push({ text: texts[texts.length - 1], n: Number(count[1]) });
    }
    this.countsInLanguage();
    for (const g of svg.querySelectorAll("g[data-edge]")) {
      this.edges.set(Number(g.getAttribute("data-edge")), g);
      // (a screen reader read the backward graph's arrows as one line of bare numbers, "-2 -4 -2 -2", before its nodes:
      // each node's name says its gradient, and the inspector and the step panel say what each arrow carried)
      g.setAttribute("aria-hidden", "true");
    }
    for (const text of svg.querySelectorAll("text")) {
      const font = Number(text.getAttribute("font-size"));
      if (font > 0 && (this.minFont === null || font < this.minFont)) this.minFont = font;
    }
    this.canvas.replaceChildren(svg);
    clearOfArrows(svg);
    svg.setAttribute("role", "group"); // named by its pane, a labelled region
    svg.setAttribute("tabindex", "-1"); // no Tab stop of its own (Chromium makes the picture one): Tab goes to its nodes
    if (this.listening) this.listening.abort(); // the previous picture's pan and zoom
    this.listening = new AbortController();
    this.wire(svg, this.listening.signal);
    const vb = svg.viewBox.baseVal;
    const full = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    this.controls = panZoom(svg, this.canvas, size, this.listening.signal, {
      onZoom: (scale) => this.onZoom(scale),
      onMove: () => this.overview.update(),
      corner: (pane) => this.overview.corner(full, pane),
      yields: () => this.overview.yields,
      nodes: () => this.boxes,
      onOneFinger: () => this.hintTouch(),
    });
    // Tab and a screen reader go through the nodes as a person reads the picture: row by row from the top, left to
    // right in a row (Graphviz writes them in its own order: x, mul, y_true, sub, w, … jumped up and down). Each
    // node is moved to the end of its group, in that order: drawn over the edges, which only touch its border.
    const placed = [...svg.querySelectorAll("g[data-node]")].map((g) => ({ g, box: this.controls.boxOf(g) }));
    const middle = (box) => box.y + box.h / 2;
    placed.sort((a, b) => Math.round(middle(a.box) - middle(b.box)) || a.box.x - b.box.x);
    for (const { g } of placed) g.parentNode.append(g);
    const boxes = placed.map(({ box }) => box);
    this.boxes = boxes;
    this.boxIndex = new Map(placed.map(({ g }, i) => [g, i]));
    this.overview.attach(this.controls, boxes);
    this.root.dataset.state = "drawn";
    return undefined;
  }

  wire(svg, signal) {
    const idOf = (target) => {
      const g = target.closest && target.closest("g[data-node]");
      return g ? nodeOf(g.getAttribute("data-node")) : null;
    };
    const on = (type, handler) => svg.addEventListener(type, handler, { signal });
    // A node lights where the pointer moves onto it, not where the page moved under a still pointer (the inspector
    // opening, the step panel taking its walk's height): the browser then says the pointer is over another node,
    // which lit up as if hovered. So `pointermove`, not `pointerover`; leaving a node unlights it either way.
    let under = null; // the node the pointer last moved over
    on("pointermove", (event) => {
      if (event.pointerType === "touch") return;
      const id = idOf(event.target);
      if (id === under) return;
      under = id;
      this.onHover(id);
    });
    on("pointerout", (event) => {
      const id = idOf(event.target);
      if (id === null || idOf(event.relatedTarget || svg) === id) return;
      under = null;
      this.onHover(null);
    });
    on("focusin", (event) => {
      const id = idOf(event.target);
      if (id === null) return;
      this.onHover(id);
      // a node reached by the keyboard comes into view, clear of the overview map (a click leaves the view be)
      const g = event.target.closest("g[data-node]");
      if (g.matches(":focus-visible") && this.controls) this.controls.reveal(g);
    });
    on("focusout", () => this.onHover(null));
    on("click", (event) => {
      if (this.canvas.dataset.dragged) {
        delete this.canvas.dataset.dragged;
        return;
      }
      const id = idOf(event.target);
      if (id !== null) this.onSelect(id);
    });
    on("keydown", (event) => {
      const id = idOf(event.target);
      if (id !== null && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        this.onSelect(id);
      }
    });
  }

  node(id) {
    return (this.drawn.get(id) || [])[0] || null;
  }

  mark(ids, className) {
    for (const g of [...this.canvas.querySelectorAll(`g.${className}`)]) g.classList.remove(className);
    for (const id of ids) for (const g of this.drawn.get(id) || []) g.classList.add(className);
    if (className === "running" || className === "selected") {
      const indexes = ids.flatMap((id) => (this.drawn.get(id) || []).map((g) => this.boxIndex.get(g)));
      this.overview.mark(indexes, className === "running" ? "#c2410c" : "#2563eb");
    }
  }

  markEdges(indexes, className) {
    for (const g of [...this.canvas.querySelectorAll(`g.edge.${className}`)]) g.classList.remove(className);
    for (const i of indexes) {
      const g = this.edges.get(i);
      if (g) g.classList.add(className);
    }
  }

  // While stepping: the gradients of nodes `known(id)` says are not known yet say so on their first line (the rest
  // hidden), and those of the edges `sent(i)` says no gradient went along yet are hidden (null: every gradient shown).
  showGradients(known, sent) {
    for (const [id, texts] of this.copies()) {
      for (const text of texts) if (text.dataset.drawn === undefined) text.dataset.drawn = text.textContent;
      // a gradient that never came (`grad None`, as PyTorch leaves such a .grad) is not one a later step will show: a
      // detached w read "grad ?" to the walk's last step, as if backward were still to reach it
      const never = texts.length === 1 && texts[0].dataset.drawn === NO_GRAD;
      const hide = known !== null && !known(id) && !never;
      texts.forEach((text, k) => {
        text.textContent = hide && k === 0 ? PENDING : text.dataset.drawn;
        text.classList.toggle("grad-pending", hide && k === 0);
        text.classList.toggle("grad-hidden", hide && k > 0);
      });
    }
    for (const [i, g] of this.edges) g.classList.toggle("grad-hidden", sent !== null && !sent(i));
  }

  // While stepping through an earlier pass: the gradients its nodes (`nodes`: id -> text) and edges (`edges`: index
  // -> text) had then, written over the last pass's the picture shows (null text: hidden, where the picture writes it
  // over several lines); every other label as drawn.
  showRunValues(nodes, edges) {
    // (`value` undefined: a node's texts as showGradients left them just before, an edge's as drawn)
    const write = (texts, value, isNode) => {
      if (value === undefined && isNode) return;
      const hide = value !== undefined && (value === null || texts.length > 1);
      for (const text of texts) {
        if (text.dataset.drawn === undefined) text.dataset.drawn = text.textContent;
        text.textContent = value === undefined || hide ? text.dataset.drawn : value;
        if (hide || !isNode) text.classList.toggle("grad-hidden", hide);
        else if (value !== undefined) text.classList.remove("grad-pending"); // (a value written over "grad ?")
      }
    };
    for (const [id, texts] of this.copies()) {
      const value = nodes.get(id);
      write(texts, nodes.has(id) ? value && `grad ${value}` : undefined, true);
    }
    for (const [i, g] of this.edges) write([...g.querySelectorAll("text")], edges.get(i), false);
  }

  // Each drawn copy of each node with gradients: [node id, the <text> elements of its gradients].
  *copies() {
    for (const [id, copies] of this.grads) for (const texts of copies) yield [id, texts];
  }

  // Whether each drawn copy of a node writes its gradient on one line (none drawn: false).
  oneLine(id) {
    const copies = this.grads.get(id) || [];
    return copies.length > 0 && copies.every((texts) => texts.length === 1);
  }

  // Brings a node into view, clear of the overview map, unless it is there already (`always`: centred anyway).
  // With `edges` (indexes) and `others` (ids), what the person reads of next as well, as much of it as fits in view:
  // the labels of those arrows and the other nodes whole, else with only their names, else the labels alone. With
  // `incoming` (indexes), the labels of the arrows that brought the node its gradient go with it in each of those
  // (a step's panel speaks of that gradient first: at 1366x768 the MLP's ReluBackward0 had its arrow's label cut off
  // at the pane's edge), else the node with them alone, before the node alone.
  reveal(id, always = false, edges = [], others = [], incoming = []) {
    const g = this.node(id);
    if (!g || !this.controls) return;
    if (always) this.controls.centerOn(g);
    const labelsOf = (list) => list.flatMap((i) => [...(this.edges.get(i)?.querySelectorAll("text") || [])]);
    const arrived = labelsOf(incoming);
    const labels = [...arrived, ...labelsOf(edges)];
    const nodes = [...new Set(others.map((other) => this.node(other)))].filter((other) => other && other !== g);
    // (a node's name: its first row, as wide as the node, else where that does not fit its text alone; the text alone
    // left the 1D example's AccumulateGrad (w) with its left side cut off at step 3 at 1366x768 in Korean, "w.grad += Σ
    // 경로별 그래디언트" without its w)
    const rowOf = (other) => {
      const text = other.querySelector("text");
      if (!text) return other;
      const [node, name] = [this.controls.boxOf(other), this.controls.boxOf(text)];
      return { box: { x: node.x, y: node.y, w: node.w, h: name.y + name.h - node.y } };
    };
    const rows = nodes.map(rowOf);
    const names = nodes.map((other) => other.querySelector("text") || other);
    const choices = [[g, ...labels, ...nodes], [g, ...labels, ...rows], [g, ...labels, ...names], [g, ...labels]];
    if (arrived.length && labels.length > arrived.length) choices.push([g, ...arrived]);
    this.controls.reveal(...choices, g);
  }

  // A finger swiped over the graph and scrolled the page (a phone): the first time on this page, a moment's word that
  // two fingers move the graph.
  hintTouch() {
    if (touchHinted) return;
    touchHinted = true;
    const hint = document.createElement("p");
    hint.className = "touch-hint";
    hint.setAttribute("role", "status");
    hint.textContent = t("touch_hint");
    this.root.append(hint);
    setTimeout(() => hint.remove(), TOUCH_HINT_MS);
  }

  label() {
    this.overview.label();
    this.countsInLanguage();
    const shown = this.root.dataset.state === "message" && this.canvas.querySelector(".pane-message");
    if (shown && this.said) shown.textContent = this.said(); // (with the formulas off, nothing draws it again)
  }

  countsInLanguage() {
    for (const { text, n } of this.counts) text.textContent = t("group_nodes", { n });
  }
}
