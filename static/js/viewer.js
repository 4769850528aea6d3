// What the page shows of one run: its outcome, both graphs (the server's DOT, laid out here), the links to its
// permalink and downloads, and the inspector. Its state is its own fields: the run (or folded view) shown, the
// groups opened, the node selected, whether a request is under way.

import { ApiError, createRun, readDot, readView, validId, viewQuery } from "./api.js";
import { el } from "./dom.js";
import { language, t } from "./i18n.js";
import { indexRun, inspectorBody } from "./inspector.js";
import { Pane } from "./pane.js";

const VIEWS = ["forward", "backward"];
// Where a run's views and DOT come from: the server, or a document that carries them (embed.js).
const SERVER = { readDot, readView };

export class Viewer {
  // `page`: the elements it fills; `limits`: GRADWALK_PAGE_FOLD_NODES and _DRAW_MAX_NODES; `editor`: marks lines.
  constructor(page, limits, editor, source = SERVER) {
    this.page = page;
    this.source = source;
    this.fold = limits.fold;
    this.editor = editor;
    this.run = null; // the Run or folded view shown
    this.index = null; // lookups over it (inspector.js)
    this.expand = []; // the folded groups opened, in order
    this.selected = null; // {pane, id} in the inspector
    this.busy = false;
    this.drawMs = null;
    this.panes = {};
    for (const view of VIEWS) {
      this.panes[view] = new Pane(page[`${view}Pane`], limits.draw, {
        onHover: (id) => this.hover(view, id),
        onSelect: (id) => this.inspect(view, id),
      });
    }
  }

  setBusy(busy) {
    this.busy = busy;
    this.page.run.disabled = busy;
    this.page.run.setAttribute("aria-busy", String(busy));
    document.body.classList.toggle("busy", busy);
  }

  showError(text, hint = null) {
    this.page.error.replaceChildren(el("p", { class: "message", text }));
    if (hint) this.page.error.append(el("p", { class: "hint", text: hint }));
    this.page.error.hidden = false;
  }

  showFailure(error) {
    if (!(error instanceof ApiError)) return this.showError(t("error_network", { message: error.message }));
    const retry = error.retryAfter ? ` ${t("retry_after", { s: error.retryAfter })}` : "";
    return this.showError(t("error_server", { status: error.status, detail: error.message }) + retry);
  }

  // Runs `code` on the server and shows the answer; resolves once both graphs are drawn.
  async runCode(code) {
    if (this.busy) return;
    this.expand = [];
    this.setBusy(true);
    this.editor.clearMarks();
    this.page.error.hidden = true;
    const started = performance.now();
    const tick = () => {
      this.page.status.textContent = t("running", { s: ((performance.now() - started) / 1000).toFixed(1) });
    };
    tick();
    const timer = setInterval(tick, 100);
    let answer = null;
    try {
      answer = await createRun(code, this.fold); // big graphs come folded (the stored run keeps every node)
    } catch (error) {
      this.showFailure(error);
    } finally {
      clearInterval(timer);
      this.setBusy(false);
    }
    if (!answer) {
      this.page.status.textContent = "";
      return;
    }
    if (validId(answer.id) && location.pathname !== `/runs/${answer.id}`) {
      history.pushState({ id: answer.id }, "", `/runs/${answer.id}`);
    }
    const graphs = this.page.graphs;
    if (graphs.getBoundingClientRect().top > window.innerHeight * 0.6) {
      // one column (tablets, narrow windows): bring the graphs into view
      const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      graphs.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    }
    await this.show(answer);
  }

  // Opens a folded group: the server's view with it expanded.
  async unfold(group) {
    if (this.busy || !this.run || !validId(this.run.id)) return;
    this.setBusy(true);
    this.page.status.textContent = t("unfolding");
    let view = null;
    try {
      view = await this.source.readView(this.run.id, viewQuery(this.fold, [...this.expand, group]));
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.setBusy(false);
    }
    if (view) await this.show(view);
    else this.page.status.textContent = "";
  }

  // Shows a Run, or a folded view of one (the server folds what is over the page's budget), and draws its graphs
  // from the server's DOT of that same view.
  async show(answer) {
    for (const view of VIEWS) {
      // a stored run that is no Run (the server says so when asked for its graphs) still shows its text
      if (!answer[view] || !Array.isArray(answer[view].nodes)) answer[view] = { nodes: [], edges: [] };
    }
    this.expand = answer.fold ? [...answer.fold.expand] : [];
    this.run = answer;
    this.index = indexRun(answer);
    if (!this.page.inspector.hidden) this.closeInspector();
    this.showOutcome();
    this.showLinks();
    this.page.output.hidden = false;
    this.page.stdout.textContent = answer.stdout || t("no_output");
    this.page.status.textContent = t("drawing");
    const started = performance.now();
    // One DOT after the other (the server makes one view at a time per client); the first is laid out meanwhile.
    let previous = Promise.resolve();
    const dotOf = (view) => () => {
      if (!validId(answer.id)) return Promise.reject(new Error(t("bad_run", { message: "no run id" })));
      previous = previous.catch(() => null).then(() => this.source.readDot(answer.id, view, viewQuery(this.fold, this.expand)));
      return previous;
    };
    await Promise.all(VIEWS.map((view) => this.panes[view].draw(answer[view].nodes.length, `empty_${view}`, dotOf(view))));
    this.drawMs = Math.round(performance.now() - started);
    document.body.dataset.drawMs = String(this.drawMs);
    document.body.dataset.runId = answer.id || "";
    this.showStatus();
  }

  showStatus() {
    const answer = this.run;
    if (!answer) return;
    const capture = answer.duration_ms === null || answer.duration_ms === undefined ? "–" : Math.round(answer.duration_ms);
    const status = t(`status_${answer.status}`);
    this.page.status.textContent = t("done", { status, capture, draw: this.drawMs ?? "–" });
    if (answer.fold && answer.fold.groups) this.page.status.textContent += ` · ${t("folded", { n: answer.fold.groups })}`;
  }

  showOutcome() {
    const answer = this.run;
    this.page.error.hidden = true;
    this.editor.clearMarks();
    if (!answer || answer.status === "ok") return;
    const error = answer.error;
    const where = error && error.line ? ` (${t("line", { line: error.line })})` : "";
    const text = error ? `${error.type}: ${error.message}${where}` : t(`status_${answer.status}`);
    this.showError(text, error && error.hint ? error.hint[language()] : null);
    if (error && error.line) this.editor.markError(error.line);
  }

  showLinks() {
    const id = this.run.id;
    const links = this.page.links;
    links.hidden = !validId(id);
    if (links.hidden) return;
    this.page.permalink.value = new URL(`/runs/${id}`, location.href).href;
    // pictures of a folded view are drawn folded too (the whole graph may be too big for the server to draw)
    const fold = this.run.fold;
    const suffix = fold ? `?${viewQuery(fold.budget, fold.expand)}` : "";
    for (const a of links.querySelectorAll("a[data-kind]")) {
      const kind = a.dataset.kind;
      const whole = kind === "json" || kind === "html"; // the run itself: /api/runs/{id} and its one-file page
      a.href = whole ? `/api/runs/${id}${kind === "html" ? ".html" : ""}` : `/api/runs/${id}/${kind}${suffix}`;
      a.setAttribute("download", whole ? `${id}.${kind}` : `${id}-${kind}`);
    }
  }

  // Hovering a node of one pane lights it and its counterparts in the other.
  hover(pane, id) {
    if (!this.index) return;
    const other = pane === "forward" ? "backward" : "forward";
    this.panes[pane].mark(id ? [id] : [], "hovered");
    this.panes[other].mark(id ? this.links(pane, id) : [], "linked");
  }

  links(pane, id) {
    return (pane === "forward" ? this.index.toBackward : this.index.toForward).get(id) || [];
  }

  inspect(pane, id, reveal = false) {
    if (!this.index) return;
    const node = (pane === "forward" ? this.index.forward : this.index.backward).get(id);
    if (!node) return;
    if (node.kind === "group") {
      this.unfold(node.id);
      return;
    }
    this.selected = { pane, id };
    const actions = { go: (where, other) => this.inspect(where, other, true), showLine: (n) => this.editor.showLine(n) };
    this.page.inspectorBody.replaceChildren(inspectorBody(this.index, pane, id, actions));
    this.page.inspector.hidden = false;
    this.page.layout.classList.add("inspecting");
    const links = this.links(pane, id); // the node and its counterparts in the other pane
    this.panes.forward.mark(pane === "forward" ? [id] : links, "selected");
    this.panes.backward.mark(pane === "backward" ? [id] : links, "selected");
    if (reveal) this.panes[pane].reveal(id);
    const tensor = node.kind === "grad_fn" ? this.index.forward.get(node.tensor) : node;
    this.editor.showLine(tensor ? tensor.line : null);
  }

  closeInspector() {
    const selected = this.selected;
    this.page.inspector.hidden = true;
    this.page.layout.classList.remove("inspecting");
    this.selected = null;
    this.panes.forward.mark([], "selected");
    this.panes.backward.mark([], "selected");
    this.editor.showLine(null);
    if (selected) {
      const g = this.panes[selected.pane].node(selected.id);
      if (g) g.focus();
    }
  }

  // The language changed: say again what is said.
  relabel() {
    if (!this.run) return;
    this.showOutcome();
    this.showStatus();
    if (this.selected) this.inspect(this.selected.pane, this.selected.id);
  }
}
