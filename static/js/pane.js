// One graph pane: lays the server's DOT out in a Web Worker (Viz.js), shows the SVG with pan and zoom, and makes
// every node a keyboard-reachable button (named by its record's text) that reports hover, focus and clicks by
// the id of the Run's node it draws.

import { t } from "./i18n.js";
import { panZoom } from "./panzoom.js";
import { pictureOf } from "./svg.js";

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

// Where DOT is laid out: the page's worker, unless a document that carries its own Graphviz (embed.js) says how.
let layoutWith = null;
export function setLayout(layout) {
  layoutWith = layout;
}

// A node drawn once per use (app/render.py's SHARED_USES) is named "<id>~<k>": each copy stands for node <id>.
export const nodeOf = (dotId) => dotId.replace(/~\d+$/, "");

export class Pane {
  // `drawMax`: larger graphs are offered as DOT and JSON, Graphviz would take too long (GRADWALK_PAGE_DRAW_MAX_NODES)
  constructor(root, drawMax, { onHover, onSelect }) {
    this.root = root;
    this.canvas = root.querySelector(".canvas");
    this.drawMax = drawMax;
    this.onHover = onHover;
    this.onSelect = onSelect;
    this.worker = layoutWith ? null : new Worker(workerUrls.createScriptURL(WORKER));
    this.seq = 0; // of the worker's messages
    this.drawing = 0; // of the drawings asked for: only the last one is shown
    this.pending = new Map();
    if (this.worker) {
      this.worker.onmessage = (event) => {
        const done = this.pending.get(event.data.seq);
        this.pending.delete(event.data.seq);
        if (done) done(event.data);
      };
    }
    this.controls = null;
    this.listening = null;
    this.drawn = new Map(); // node id -> its <g> elements (copies of a shared node: several)
    for (const button of root.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => this.controls && this.controls[button.dataset.zoom]());
    }
  }

  layout(dot) {
    if (!this.worker) return layoutWith(dot);
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.worker.postMessage({ seq, dot });
    });
  }

  message(text) {
    this.drawing++; // a drawing still under way is no longer wanted
    this.canvas.replaceChildren();
    const p = document.createElement("p");
    p.className = "pane-message";
    p.textContent = text;
    this.canvas.append(p);
    if (this.listening) this.listening.abort();
    this.controls = null;
    this.drawn = new Map();
    this.root.dataset.state = "message";
  }

  // Draws a graph of `count` nodes from its DOT (`readDot()` asks the server for it, when there is something to
  // draw); resolves once the picture is in the page.
  async draw(count, emptyKey, readDot) {
    if (count === 0) return this.message(t(emptyKey));
    if (count > this.drawMax) return this.message(t("too_big", { n: count, max: this.drawMax }));
    this.root.dataset.state = "drawing";
    const ticket = ++this.drawing;
    let source;
    try {
      source = await readDot();
    } catch (error) {
      if (ticket === this.drawing) this.message(t("layout_failed", { message: error.message }));
      return undefined;
    }
    if (ticket !== this.drawing) return undefined; // a newer drawing was asked for meanwhile
    const result = await this.layout(source);
    if (ticket !== this.drawing) return undefined;
    if (result.error) return this.message(t("layout_failed", { message: result.error }));
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
      return this.message(t("layout_failed", { message: error.message }));
    }
    this.drawn = new Map();
    for (const g of svg.querySelectorAll("g[data-node]")) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      const id = nodeOf(g.getAttribute("data-node"));
      (this.drawn.get(id) || this.drawn.set(id, []).get(id)).push(g);
    }
    this.canvas.replaceChildren(svg);
    svg.setAttribute("role", "group"); // named by its pane, a labelled region
    if (this.listening) this.listening.abort(); // the previous picture's pan and zoom
    this.listening = new AbortController();
    this.wire(svg, this.listening.signal);
    this.controls = panZoom(svg, this.canvas, size, this.listening.signal);
    this.root.dataset.state = "drawn";
    return undefined;
  }

  wire(svg, signal) {
    const idOf = (target) => {
      const g = target.closest && target.closest("g[data-node]");
      return g ? nodeOf(g.getAttribute("data-node")) : null;
    };
    const on = (type, handler) => svg.addEventListener(type, handler, { signal });
    on("pointerover", (event) => {
      const id = idOf(event.target);
      if (id !== null) this.onHover(id);
    });
    on("pointerout", (event) => {
      const id = idOf(event.target);
      if (id !== null && idOf(event.relatedTarget || svg) !== id) this.onHover(null);
    });
    on("focusin", (event) => {
      const id = idOf(event.target);
      if (id !== null) this.onHover(id);
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
  }

  reveal(id) {
    const g = this.node(id);
    if (g && this.controls) this.controls.centerOn(g);
  }
}
