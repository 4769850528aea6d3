// One graph pane: lays a DOT graph out in a Web Worker, shows the SVG with pan and zoom, and makes every node
// a keyboard-reachable button (named by its record's text) that reports hover, focus and clicks by node id.

import { t } from "./i18n.js";
import { panZoom } from "./panzoom.js";
import { pictureOf } from "./svg.js";

// The page's policy (Trusted Types) takes no script URL from a plain string: this is the one it may start.
const WORKER = "/static/js/layout-worker.js";
const workerUrls = window.trustedTypes
  ? window.trustedTypes.createPolicy("gradwalk-worker", {
      createScriptURL: (url) => {
        if (url !== WORKER) throw new TypeError(`not the layout worker: ${url}`);
        return url;
      },
    })
  : { createScriptURL: (url) => url };

// Larger graphs are offered as DOT and JSON: Graphviz would take too long (GRADWALK_PAGE_DRAW_MAX_NODES)
const DRAW_MAX_NODES = Number(document.body.dataset.drawMaxNodes) || 4000;

export class Pane {
  constructor(root, prefix, { onHover, onSelect }) {
    this.root = root;
    this.canvas = root.querySelector(".canvas");
    this.prefix = prefix;
    this.onHover = onHover;
    this.onSelect = onSelect;
    this.worker = new Worker(workerUrls.createScriptURL(WORKER));
    this.seq = 0;
    this.pending = new Map();
    this.worker.onmessage = (event) => {
      const done = this.pending.get(event.data.seq);
      this.pending.delete(event.data.seq);
      if (done) done(event.data);
    };
    this.controls = null;
    for (const button of root.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => this.controls && this.controls[button.dataset.zoom]());
    }
  }

  layout(dot) {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.worker.postMessage({ seq, dot });
    });
  }

  message(text) {
    this.canvas.replaceChildren();
    this.ids = [];
    this.positions = new Map();
    const p = document.createElement("p");
    p.className = "pane-message";
    p.textContent = text;
    this.canvas.append(p);
    if (this.listening) this.listening.abort();
    this.controls = null;
    this.root.dataset.state = "message";
  }

  // Draws the graph `makeDot()` writes (`count` nodes; dot.js's `{source, ids}`); resolves once the picture
  // is in the page.
  async draw(makeDot, count, emptyKey) {
    if (count === 0) return this.message(t(emptyKey));
    if (count > DRAW_MAX_NODES) return this.message(t("too_big", { n: count, max: DRAW_MAX_NODES }));
    this.root.dataset.state = "drawing";
    const seq = this.seq + 1;
    const { source, ids } = makeDot();
    const result = await this.layout(source);
    if (seq !== this.seq) return; // a newer drawing was asked for meanwhile
    if (result.error) return this.message(t("layout_failed", { message: result.error }));
    // The picture is rebuilt from Graphviz's SVG, never inserted as markup (svg.js keeps only what a drawing
    // is made of); nodes become focusable buttons on the way in, and lose their <title> tooltips (internal ids).
    const size = { width: this.canvas.clientWidth, height: this.canvas.clientHeight };
    let svg;
    try {
      svg = pictureOf(result.svg);
    } catch (error) {
      return this.message(t("layout_failed", { message: error.message }));
    }
    for (const g of svg.querySelectorAll("g.node")) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
    }
    this.canvas.replaceChildren(svg);
    this.ids = ids; // the picture's node <i> is the run's node ids[i]
    this.positions = new Map(ids.map((id, i) => [id, i]));
    svg.setAttribute("role", "group"); // named by its pane, a labelled region
    this.wire(svg);
    if (this.listening) this.listening.abort(); // the previous picture's pan and zoom
    this.listening = new AbortController();
    this.controls = panZoom(svg, this.canvas, size, this.listening.signal);
    this.root.dataset.state = "drawn";
  }

  wire(svg) {
    const nodeOf = (target) => target.closest && target.closest("g.node");
    const idOf = (g) => this.ids[Number(g.id.slice(this.prefix.length).split("~")[0])]; // copies: "<i>~<k>"
    svg.addEventListener("pointerover", (event) => {
      const g = nodeOf(event.target);
      if (g) this.onHover(idOf(g));
    });
    svg.addEventListener("pointerout", (event) => {
      const g = nodeOf(event.target);
      if (g && !g.contains(event.relatedTarget)) this.onHover(null);
    });
    svg.addEventListener("focusin", (event) => {
      const g = nodeOf(event.target);
      if (g) this.onHover(idOf(g));
    });
    svg.addEventListener("focusout", () => this.onHover(null));
    svg.addEventListener("click", (event) => {
      if (this.canvas.dataset.dragged) {
        delete this.canvas.dataset.dragged;
        return;
      }
      const g = nodeOf(event.target);
      if (g) this.onSelect(idOf(g));
    });
    svg.addEventListener("keydown", (event) => {
      const g = nodeOf(event.target);
      if (g && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        this.onSelect(idOf(g));
      }
    });
  }

  // The picture's elements for a run's node id (several for a shared node's copies).
  elements(id) {
    const i = this.positions && this.positions.get(id);
    return i === undefined ? [] : this.canvas.getElementsByClassName(`n-${i}`);
  }

  node(id) {
    return this.elements(id)[0] || null;
  }

  mark(ids, className) {
    for (const g of [...this.canvas.querySelectorAll(`g.node.${className}`)]) g.classList.remove(className);
    for (const id of ids) for (const g of this.elements(id)) g.classList.add(className);
  }

  reveal(id) {
    const g = this.node(id);
    if (g && this.controls) this.controls.centerOn(g);
  }
}
