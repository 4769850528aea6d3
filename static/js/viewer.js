// What the page shows of one run: its outcome, both graphs (the server's DOT, laid out here) at one scale that keeps
// every label readable, the steps of backward, the links to its permalink and downloads, and the inspector. Its
// state is its own fields: the run (or folded view) shown, the groups opened, the node selected, the step shown.

import { ApiError, createRun, readDot, readView, validId, viewQuery } from "./api.js";
import { shownText } from "./shown.js";
import { el, withCode } from "./dom.js";
import { builtByBackward, expandable, firstSentence, nodeTitle, stepView } from "./explain.js";
import { labelSummary } from "./format.js";
import { language, t } from "./i18n.js";
import { GRAD_READ, indexRun, inspectorBody, missingGrads } from "./inspector.js";
import { cutWritten, nameOf } from "./names.js";
import { Pane } from "./pane.js";
import { fitScale } from "./panzoom.js";
import { earlierLabels, stateAt, stepFromQuery, stepsOf, stoppedBeforeBackward, tensorsOfStep } from "./stepper.js";

const VIEWS = ["forward", "backward"];
const NODE_LABEL_CHARS = 40; // a gradient on a node's label, at most (app/render.py's label_value)
const EDGE_LABEL_CHARS = 28; // and on an arrow's
// Where a run's views and DOT come from: the server, or a document that carries them (embed.js).
const SERVER = { readDot, readView };
// Labels are drawn at least this large (CSS px) when a graph opens; in projector mode larger.
const LABEL_PX = { normal: 12.5, projector: 18 };
const MAX_ZOOM_IN = 1.6; // a small graph may open this much larger than that, not more
const READ_HOW = "gradwalk-read-how"; // "How to read the backward graph" was opened or closed once
// The share of the screen's height a step keeps for the top of its words, under the backward pane (one column).
const STEP_WORDS_SHOWN = 0.3;
const SHEET_GAP_PX = 8; // between a node and the inspector's sheet over it (phones), or the screen's top
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex="0"]';
const MISSING_SHOWN = 6; // leaves without .grad explained one by one; past that, how many more
const WALK_MEASURED = 40; // steps whose words give the step panel its height through a walk (later ones may scroll)
const KEPT_LINE_PX = 28; // "More below" scrolls the step panel by its height less a line's, for the eye to follow
const RESIZE_SETTLE_MS = 200; // a window resized: its step panel measured again when it has been still this long
const WALK_GRAPHS_MIN_PX = 240; // the graphs' height a walk's step panel stretched leaves them, at least
const WALK_GRAPHS_KEPT = 0.4; // and their share of the room they and the panel have, at least

// A flag kept in the browser (`value` given: set it; else: read it); storage may be off (private mode).
export function remembered(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // not remembered
  }
  return null;
}

// PyTorch's warning on reading .grad of a non-leaf tensor, and the name the snippet's line read it by.
const NON_LEAF_GRAD = /not a leaf Tensor is being accessed[^\n]*\n(?:\s+(.*))?/;

// A warning a learner meets (the .grad of a non-leaf tensor, which prints None) explained, or null. The line may
// read several `.grad`s (`print(w.grad, h.grad)`): the name is the one `leaf(name)` does not know as a leaf.
// `copied(name)`: {how, from} where the tensor of that name is a copy (`.to()`, `.cuda()`, `.double()`) of `from`;
// {rebound, line} where that line bound the name to what its leaf made, quoted from `lines` (the code's): a line that
// reads the leaf's .grad (`w = w - 0.1 * w.grad`) is a training step, and the way to take one is said.
const QUOTED_CHARS = 60; // a line quoted in a hint, at most (then `…`)
export function warningHint(stderr, leaf = () => false, copied = () => null, lines = []) {
  const found = NON_LEAF_GRAD.exec(stderr || "");
  if (!found) return null;
  const names = nonLeafRead(found, leaf);
  if (names.length !== 1) return t("warn_non_leaf_grad_unnamed");
  const name = names[0];
  const copy = copied(name);
  if (copy && copy.rebound) {
    const code = String(lines[copy.line - 1] || "").trim().replaceAll("`", "'");
    const quoted = code.length > QUOTED_CHARS ? `${code.slice(0, QUOTED_CHARS - 1)}…` : code;
    const step = new RegExp(`(^|[^\\w.])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.grad\\b`).test(code);
    const said = t("warn_non_leaf_grad_rebound", { name });
    return `${said} ${t(step ? "warn_rebound_step" : "warn_rebound_grad", { name, line: copy.line, code: quoted || "…" })}`;
  }
  const said = t("warn_non_leaf_grad", { name });
  return copy ? `${said} ${t("warn_copy_grad", { name, how: copy.how, from: copy.from })}` : said;
}

// The names of the tensors that are no leaves whose .grad the warned line reads.
function nonLeafRead(found, leaf) {
  const read = [...(found[1] || "").matchAll(GRAD_READ)].map((m) => m[1]);
  return [...new Set(read.filter((name) => !leaf(name)))];
}

// The one tensor that is no leaf whose .grad the warned line reads (its name), or null.
export function warnedName(stderr, leaf = () => false) {
  const found = NON_LEAF_GRAD.exec(stderr || "");
  const names = found ? nonLeafRead(found, leaf) : [];
  return names.length === 1 ? names[0] : null;
}

// Ops that copy a tensor (to another dtype or device): a copy of a leaf is no leaf, its gradient goes on to the leaf.
const COPIES = new Set(["to", "cuda", "cpu", "double", "float", "half", "bfloat16", "type", "type_as", "clone"]);

// {how, from} for a named tensor a copying op made of a leaf that requires grad (by the last tensor of that name), else
// {rebound, line} for one made from the leaf the same name held before (`x = x * 2` on that line), else null: the
// gradient that reached it goes on into that leaf's .grad.
export function copiedFrom(index) {
  const last = new Map([...index.forward.values()].filter((n) => n.kind === "tensor" && n.var).map((n) => [n.var, n]));
  return (name) => {
    const tensor = last.get(name);
    const op = tensor && index.producer.get(tensor.id);
    const inputs = op ? (index.inputs.get(op.id) || []).map((id) => index.forward.get(id)) : [];
    const from = COPIES.has(op && op.op) ? inputs[0] : undefined;
    if (from && from.is_leaf && from.requires_grad) return { how: op.op, from: nameOf(index, from) };
    const before = inputs.find((input) => input && input.var === name && input.is_leaf && input.requires_grad);
    return before ? { rebound: true, line: op.line ?? tensor.line ?? "?" } : null;
  };
}

// Python could not read the code (SyntaxError, IndentationError, TabError when it is compiled): not one line ran, so
// it printed nothing and recorded nothing. (A SyntaxError the code raised as it ran, from eval() say, came after lines
// that ran: they may have printed or recorded something.)
const UNREAD = new Set(["SyntaxError", "IndentationError", "TabError"]);
export function neverRan(run) {
  const error = run && run.error;
  if (!error || !UNREAD.has(error.type) || run.stdout || run.stderr) return false;
  return !(run.forward && Array.isArray(run.forward.nodes) && run.forward.nodes.length);
}

// What stopped the code when a limit of gradwalk's did (their Run message is English only, app/capture): in Korean,
// what happened and what to do, under the message and its numbers; nothing in English (the message says it).
const LIMITS = ["OutputLimit", "Timeout", "MemoryLimit", "GraphLimit", "RecordLimit", "ResultLimit"];
function limitHint(error) {
  return error && LIMITS.includes(error.type) ? t(`limit_${error.type}`) || null : null;
}

export class Viewer {
  // `page`: the elements it fills, within `page.root` (the page's body, or an embedded run's element: several
  // viewers may share a document), and whether it owns the address (`page.address`: ?step=, history);
  // `limits`: GRADWALK_PAGE_FOLD_NODES and _DRAW_MAX_NODES; `editor`: marks lines; `makeBar`: makes the step
  // controls, given how to show a step; `source`: where the run's views and DOT come from.
  constructor(page, limits, editor, makeBar, source = SERVER) {
    this.page = page;
    this.root = page.root;
    this.address = Boolean(page.address);
    this.source = source;
    this.fold = limits.fold;
    this.editor = editor;
    this.run = null; // the Run or folded view shown
    this.index = null; // lookups over it (inspector.js)
    this.expand = []; // the folded groups opened, in order
    this.selected = null; // {pane, id} in the inspector
    this.tabIntoInspector = false; // the next Tab on the node inspected goes into the inspector
    this.busy = false;
    this.asked = 0; // runs asked for
    this.shown = 0; // runs (or views) shown
    this.drawMs = null;
    this.steps = [];
    this.step = null; // the step shown (0 .. steps.length), null: the whole run
    this.walking = false; // the run shown has been stepped through (its step panel has its walk's height since)
    this.projector = false;
    this.formulas = false; // each backward node's local derivative on its label (the legend's switch)
    this.panes = {};
    for (const view of VIEWS) {
      this.panes[view] = new Pane(page[`${view}Pane`], limits, {
        onHover: (id) => this.hover(view, id),
        onSelect: (id) => this.inspect(view, id),
        onZoom: (scale) => this.zoomed(view, scale),
        onAction: (action) => this.zoomAction(view, action),
      });
    }
    this.bar = makeBar((k) => {
      this.setStep(k);
      this.followStep();
    });
    // a step longer than its panel says so, at the panel's foot, for as long as more of it is out of sight below (its
    // words measured again as the panel or they change size: "show all" makes a step longer)
    const panel = page.stepPanel;
    panel.addEventListener("scroll", () => this.markMoreBelow(), { passive: true });
    this.stepResized = typeof ResizeObserver === "function" ? new ResizeObserver(() => this.markMoreBelow()) : null;
    if (this.stepResized) this.stepResized.observe(panel);
    // the walk's height again for the window's new size, once it has one (measured for the old one, the 2D example's
    // steps scrolled after a window went from 1920x1080 to 1366x768)
    let resized = null;
    window.addEventListener("resize", () => {
      clearTimeout(resized);
      resized = setTimeout(() => this.index && this.fitWalk(), RESIZE_SETTLE_MS);
    });
  }

  // The step panel's "More below" button: shown while the step's words go on under the panel's foot (a training loop's
  // matrices at 1366x768: its third input and the words were out of sight, with a faint shadow the only sign of them).
  // It sits on a strip of its own at the foot, there while the step is longer than the panel (the text goes under it
  // as under the panel's edge, and its last line ends above it): a button over the last line's end covered the words
  // and numbers there.
  markMoreBelow() {
    const panel = this.page.stepPanel;
    const strip = panel.querySelector(":scope > .more-below");
    const body = panel.firstElementChild;
    if (!strip || !body || body === strip) return;
    const style = getComputedStyle(panel);
    const room = panel.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    strip.hidden = body.offsetHeight <= room + 1;
    strip.classList.toggle("at-end", panel.scrollHeight - panel.clientHeight - panel.scrollTop <= 1);
  }

  setBusy(busy) {
    const run = this.page.run;
    // (a button disabled while it has the keyboard gives it to the page's body: Run pressed with Enter kept the
    // learner's place nowhere, and the next Tab started again at the page's top; the keyboard comes back to it)
    if (busy && document.activeElement === run) this.runHadKeys = true;
    this.busy = busy;
    run.disabled = busy;
    run.setAttribute("aria-busy", String(busy));
    this.root.classList.toggle("busy", busy);
    if (!busy && this.runHadKeys) {
      this.runHadKeys = false;
      if (!document.activeElement || document.activeElement === document.body) run.focus({ preventScroll: true });
    }
  }

  showError(text, hint = null, short = text) {
    this.page.error.replaceChildren(el("p", { class: "message" }, expandable(el("span"), short, text)));
    if (hint) this.page.error.append(el("p", { class: "hint" }, withCode(hint, (line) => this.editor.showLine(line))));
    this.page.error.hidden = false;
  }

  showFailure(error) {
    if (!(error instanceof ApiError)) return this.showError(t("error_network", { message: error.message }));
    const retry = error.retryAfter ? ` ${t("retry_after", { s: error.retryAfter })}` : "";
    return this.showError(t("error_server", { status: error.status, detail: error.message }) + retry);
  }

  // Runs `code` on the server and shows the answer; resolves once both graphs are drawn. `remember`: the address
  // bar follows the run (not for the example the first visit shows).
  async runCode(code, remember = true) {
    if (this.busy) return;
    const mine = ++this.asked; // a run asked for later wins over this one,
    this.shown++; // and over a run still being drawn (the example a first visit shows, say)
    delete this.root.dataset.drawMs;
    this.expand = [];
    this.setBusy(remember); // (the example a first visit shows runs quietly: Run stays ready)
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
      if (mine === this.asked) this.setBusy(false);
    }
    if (mine !== this.asked) return;
    if (!answer) {
      this.page.status.textContent = "";
      return;
    }
    if (remember && this.address && validId(answer.id) && location.pathname + location.search !== `/runs/${answer.id}`) {
      history.pushState({ id: answer.id }, "", `/runs/${answer.id}`);
    }
    await this.show(answer);
    if (!remember) return;
    if (this.page.error.hidden) this.bringGraphsIntoView();
    else this.page.error.scrollIntoView({ block: "nearest" }); // what went wrong and its hint, before the graphs
  }

  // One column (phones, tablets, narrow windows): after Run the graphs come into view, and the keyboard with them
  // (the editor, out of sight, kept it: → moved its cursor and scrolled the page back up instead of stepping).
  bringGraphsIntoView() {
    const graphs = this.page.graphs;
    const top = graphs.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.3 || top < -window.innerHeight * 0.5) {
      graphs.scrollIntoView({ block: "start" });
      const next = document.getElementById("step-next");
      if (next && !next.disabled && this.editor.hasFocus()) next.focus({ preventScroll: true });
    }
  }

  // Opens a folded group: the server's view with it expanded, at the same scale, centred on what it held; the
  // keyboard on its first node in `pane` (the one it was opened in: its own node is gone with the old picture).
  async unfold(group, pane = "forward") {
    if (this.busy || !this.run || !validId(this.run.id)) return;
    const node = this.index.forward.get(group) || this.index.backward.get(group);
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
    if (!view) {
      this.page.status.textContent = "";
      return;
    }
    const members = node ? node.members || [] : [];
    await this.show(view, { scale: this.scale, focus: members });
    // (unless the person went elsewhere meanwhile) the first node drawn of those it held, else the group still folded
    // in its place (a repeat opens ten at a time), else the pane
    const drawn = this.panes[pane];
    const away = document.activeElement && document.activeElement !== document.body && !drawn.root.contains(document.activeElement);
    if (away || !drawn.controls) return;
    const first = this.firstDrawn(drawn, members);
    const target = (first && drawn.node(first)) || drawn.node(group) || drawn.canvas;
    target.focus({ preventScroll: true });
  }

  // Shows a Run, or a folded view of one (the server folds what is over the page's budget), and draws its graphs
  // from the server's DOT of that same view. `keep`: the scale to keep and the nodes to centre (an opened fold).
  async show(answer, keep = null) {
    const mine = ++this.shown; // a run shown later wins over this one
    shownText(answer); // (its text never turns the page's own around it, nor holds the page)
    for (const view of VIEWS) {
      // a stored run that is no Run (the server says so when asked for its graphs) still shows its text
      if (!answer[view] || !Array.isArray(answer[view].nodes)) answer[view] = { nodes: [], edges: [] };
      if (!Array.isArray(answer[view].edges)) answer[view].edges = [];
    }
    this.expand = answer.fold ? [...answer.fold.expand] : [];
    if (!keep) this.walking = false; // (a run shown anew; an opened fold or a redraw keeps the walk's layout)
    this.run = answer;
    this.codeChanged(this.editor.value);
    this.index = indexRun(answer);
    this.steps = stepsOf(answer);
    if (!this.page.inspector.hidden) this.closeInspector({ address: false });
    this.showOutcome();
    this.showLinks();
    // (code that never ran printed nothing: no box says "nothing printed", the error says it never ran)
    this.page.output.hidden = neverRan(answer);
    this.showOutput();
    this.page.status.textContent = t("drawing");
    const started = performance.now();
    // One DOT after the other (the server makes one view at a time per client); the first is laid out meanwhile.
    let previous = Promise.resolve();
    const dotOf = (view) => () => {
      if (!validId(answer.id)) return Promise.reject(new Error(t("bad_run", { message: "no run id" })));
      const formulas = this.formulas ? language() : null;
      previous = previous
        .catch(() => null)
        .then(() => this.source.readDot(answer.id, view, viewQuery(this.fold, this.expand), formulas));
      return previous;
    };
    await Promise.all(VIEWS.map((view) => this.panes[view].draw(answer[view].nodes.length, answer[view].edges.length, () => this.emptyText(view), dotOf(view))));
    if (mine !== this.shown) return;
    // what goes around the panes first, so that they open at their final size
    this.showBanner();
    if (this.page.legendGroup) this.page.legendGroup.hidden = !answer.fold;
    // (a torch.autograd.grad() call's gradients into a leaf are drawn dashed: app/render.py)
    if (this.page.legendReturned) this.page.legendReturned.hidden = !(answer.backward_calls || []).includes("grad");
    // (the nodes a create_graph=True pass made: a second-order gradient's backward runs them, marked apart)
    const built = [...builtByBackward(this.index).keys()];
    this.panes.backward.mark(built, "by-backward");
    if (this.page.legendByBackward) this.page.legendByBackward.hidden = !built.length;
    this.bar.reset(this.steps.length, null);
    const asked = this.address ? stepFromQuery(location.search, this.steps.length) : null; // a link's ?step= is the page's
    this.step = this.steps.length && asked !== null ? asked : null;
    if (this.step !== null) this.walking = true;
    this.showStepPanel(this.step === null ? null : stateAt(answer, this.steps, this.step));
    this.fitWalk();
    this.open(keep);
    // (a link's ?step= past the last step, or that is no step, is put right in the address)
    const written = this.address ? new URLSearchParams(location.search).get("step") : null;
    this.setStep(this.step, { address: written !== null && written !== String(this.step) });
    this.bar.show(this.step);
    if (asked !== null) this.bringGraphsIntoView(); // (a link to a step, in one column: the step, not the code)
    // a link's ?node= (the inspector was open on it: a reload, a link copied) opens the inspector on it again
    const node = this.address && !keep ? new URLSearchParams(location.search).get("node") : null;
    const where = node === null ? null : VIEWS.find((view) => this.index[view].has(node) && this.panes[view].node(node));
    if (where) this.inspect(where, node, true);
    this.drawMs = Math.round(performance.now() - started);
    this.root.dataset.drawMs = String(this.drawMs);
    this.root.dataset.runId = answer.id || "";
    this.showStatus();
  }

  // The code in the editor is not the shown run's any more (or is again): the graphs say they are of the code before.
  codeChanged(code) {
    if (!this.page.stale) return;
    const stale = Boolean(this.run) && typeof this.run.code === "string" && code !== this.run.code;
    this.page.stale.hidden = !stale;
    this.page.graphs.classList.toggle("stale", stale);
  }

  // Why a graph is empty, in words that fit what happened.
  emptyText(view) {
    const answer = this.run;
    const error = answer.error;
    if (neverRan(answer)) return t("never_ran");
    if (typeof answer.code === "string" && !answer.code.trim()) return t("empty_code"); // (not "no requires_grad")
    // (where the code stopped, and why: a limit gradwalk set was said as an error, and without its line)
    const stopped = (key) => t(error.line ? `${key}_line` : key, { line: error.line, type: error.type });
    if (view === "forward") return error ? stopped("empty_forward_error") : t("empty_forward");
    const ops = answer.forward.nodes.filter((n) => n.kind === "op");
    if (ops.some((op) => op.no_grad)) return t("empty_backward_no_grad");
    // (before the error: `(x.detach() * 2).sum().backward()` raised, yet its ops were recorded, cut off from x)
    if (ops.some((op) => op.cut)) return t("empty_backward_cut");
    if (ops.some((op) => op.non_differentiable)) return t("empty_backward_non_differentiable");
    if (error) return stopped("empty_backward_error");
    return t("empty_backward_no_requires");
  }

  // A backward graph backward() never ran says so above it: backward() was not called, or the code stopped on a
  // line before it was (an error: "not called" sent the learner looking for a backward() their code has).
  showBanner() {
    const banner = this.page.banner;
    banner.hidden = !(this.run.backward.nodes.length && !this.run.backward_passes && !this.steps.length);
    const line = stoppedBeforeBackward(this.run);
    if (line === null) {
      banner.dataset.i18n = "banner_no_backward"; // (the language toggle says it again)
      banner.textContent = t("banner_no_backward");
    } else {
      delete banner.dataset.i18n; // (relabel() says it again, with its line)
      banner.textContent = t("banner_stopped", { line });
    }
  }

  // -- scale: both panes at one scale, labels at least LABEL_PX -----------------------------------------------

  drawnPanes() {
    return VIEWS.map((view) => this.panes[view]).filter((pane) => pane.controls);
  }

  // The scale that draws the smallest label `px` CSS px tall (by default the size of the mode shown).
  readableScale(px = this.projector ? LABEL_PX.projector : LABEL_PX.normal) {
    const fonts = this.drawnPanes().map((pane) => pane.minFont || 12);
    return px / Math.min(...fonts, 12);
  }

  // Opens both graphs at one scale: each whole when both fit at a readable size, else at the readable size on
  // where backward starts (the output, the loss) with an overview map. `keep`: a scale and nodes to centre.
  open(keep = null) {
    const panes = this.drawnPanes();
    if (!panes.length) return;
    const readable = this.readableScale();
    let scale = keep && keep.scale ? keep.scale : readable;
    if (!keep) {
      // (a small graph opens larger only as far as it still fits once the step panel takes its walk's height)
      const fit = this.inWalkLayout(() => Math.min(...panes.map((pane) => pane.controls.fitting())));
      scale = Math.max(readable, Math.min(fit, readable * MAX_ZOOM_IN));
      // In projector mode a graph that fits whole with its labels as large as the page's own opens whole, however
      // short of the projector's size: at 1366x768 the tutorial's first graph (x, pow, y) opened at that size on y,
      // its x out of view above, and its walk showed two halves of three nodes.
      if (fit < readable && fit >= this.readableScale(LABEL_PX.normal)) scale = fit;
    }
    this.scale = scale;
    for (const view of VIEWS) {
      const pane = this.panes[view];
      if (!pane.controls) continue;
      const focus = keep && keep.focus && keep.focus.length ? this.firstDrawn(pane, keep.focus) : this.outputOf(view);
      pane.controls.open(scale, focus ? pane.node(focus) : null);
      if (keep && focus && pane.node(focus)) pane.controls.centerOn(pane.node(focus));
    }
  }

  // `measure()` done with the panes at the size they have while stepping (the step panel is shorter before).
  inWalkLayout(measure) {
    const panel = this.page.stepPanel;
    if (!panel.classList.contains("intro")) return measure();
    panel.classList.remove("intro");
    try {
      return measure();
    } finally {
      panel.classList.add("intro");
    }
  }

  firstDrawn(pane, ids) {
    const found = ids.find((id) => pane.node(id));
    if (found) return found;
    // the members of a group opened may be in the other graph: their counterparts here
    for (const id of ids) {
      const other = this.index.toBackward.get(id) || this.index.toForward.get(id) || [];
      const drawn = other.find((o) => pane.node(o));
      if (drawn) return drawn;
    }
    return null;
  }

  // Where a graph is opened when it does not fit: backward's first node, and in the forward graph its tensor.
  outputOf(view) {
    const first = this.steps.find((s) => s.kind === "node");
    const backward = this.run.backward;
    const targets = new Set(backward.edges.map((e) => e.target));
    const root = first ? first.id : (backward.nodes.find((n) => !targets.has(n.id)) || {}).id;
    if (view === "backward") return root || null;
    const rootNode = root ? this.index.backward.get(root) : null;
    if (rootNode && rootNode.tensor && this.index.forward.has(rootNode.tensor)) return rootNode.tensor;
    const consumed = new Set(this.run.forward.edges.map((e) => e.source));
    const ends = this.run.forward.nodes.filter((n) => n.kind === "tensor" && !consumed.has(n.id));
    return ends.length ? ends[ends.length - 1].id : null;
  }

  // A pane was zoomed: the other follows, so both keep one scale.
  zoomed(view, scale) {
    this.scale = scale;
    for (const other of VIEWS) {
      if (other !== view && this.panes[other].controls) this.panes[other].controls.setScale(scale);
    }
  }

  zoomAction(view, action) {
    const controls = this.panes[view].controls;
    if (action === "zoomIn") controls.zoomIn();
    else if (action === "zoomOut") controls.zoomOut();
    else if (action === "actual") {
      this.scale = this.readableScale();
      for (const pane of this.drawnPanes()) pane.controls.setScale(this.scale);
    } else if (action === "fit") {
      this.scale = Math.min(...this.drawnPanes().map((pane) => pane.controls.fitting()));
      for (const pane of this.drawnPanes()) pane.controls.open(this.scale);
    }
  }

  setProjector(on) {
    this.projector = on;
    this.root.classList.toggle("projector", on);
    if (!this.run) return;
    this.fitWalk(); // (larger words)
    this.open();
    if (this.step !== null) this.setStep(this.step, { address: false }); // (the step's node back in view, larger)
  }

  // -- stepping through backward ---------------------------------------------------------------------------

  // Shows step `k` (0: before backward; null: the whole run) and puts it in the address.
  setStep(k, { address = true } = {}) {
    this.step = k;
    if (k !== null) this.walking = true;
    const index = this.index;
    if (!index) return;
    const forward = this.panes.forward;
    const backward = this.panes.backward;
    const state = k === null ? null : stateAt(this.run, this.steps, k);
    this.showStepPanel(state); // first: the panes take their size for this step before its nodes are brought into view
    backward.showGradients(state && ((id) => state.ready.has(id)), state && ((i) => state.sent.has(i)));
    // (the picture labels a node run in several passes with its last run's gradients: an earlier pass's, written over)
    // (cut as the server cuts a label's line: a node's 40 characters, an arrow's 28, app/render.py)
    const earlier = state
      ? earlierLabels(this.run, state, (s) => labelSummary(s, NODE_LABEL_CHARS), (s) => labelSummary(s, EDGE_LABEL_CHARS))
      : { nodes: new Map(), edges: new Map() };
    backward.showRunValues(earlier.nodes, earlier.edges);
    forward.showGradients(state && ((id) => state.known.has(id)), null);
    // (a leaf several passes add into: its .grad as this step has it, where its label writes it on one line)
    const held = state ? [...state.held].filter(([id]) => forward.oneLine(id)) : [];
    forward.showRunValues(new Map(held.map(([id, s]) => [id, labelSummary(s, NODE_LABEL_CHARS)])), new Map());
    const current = state ? state.current : null;
    backward.mark(current ? [current] : [], "running");
    backward.mark(current && state.step.kind === "raised" ? [current] : [], "stopped"); // (where a pass raised)
    const lit = current ? tensorsOfStep(this.run, index.toForward.get(current) || [], state.step) : [];
    forward.mark(lit, "running");
    // (a node torch made inside an op: the op it ran in, lit as the running node's own tensor is)
    forward.mark(current && !(index.backward.get(current) || {}).tensor ? lit : [], "inside");
    for (const pane of [forward, backward]) {
      for (const g of pane.canvas.querySelectorAll("[aria-current]")) g.removeAttribute("aria-current");
    }
    if (current) {
      const g = backward.node(current);
      if (g) g.setAttribute("aria-current", "step");
      if (g) this.fitRunning(backward, g);
      // what the step's explanation speaks of, clear of the map, where it fits: the gradients the node sends and the
      // nodes they go to; every tensor lit
      const targets = state.outgoing.map((i) => this.run.backward.edges[i].target);
      backward.reveal(current, false, state.outgoing, targets, state.arriving);
      // and in the forward graph the tensors those gradients are for (the step's numbers speak of their values), in
      // this step's pass; they alone where the node's own tensor is not drawn (a linear layer's TBackward0, whose
      // weightᵀ is made inside F.linear: a training loop's step left the forward pane on another layer's weight)
      const receiving = targets
        .map((id) => (index.toForward.get(id) || []).filter((f) => index.forward.get(f).kind === "tensor"))
        .flatMap((versions) => tensorsOfStep(this.run, versions, state.step).slice(0, 1))
        .filter((id) => id && !lit.includes(id));
      // (a node made inside an op: the tensors its gradients are for first, the op it ran in where it fits)
      const inside = !(index.backward.get(current) || {}).tensor;
      if (inside && receiving.length) forward.reveal(receiving[0], false, [], [...receiving.slice(1), ...lit]);
      else if (lit.length) forward.reveal(lit[0], false, [], [...lit.slice(1), ...receiving]);
      else if (receiving.length) forward.reveal(receiving[0], false, [], receiving.slice(1));
    } else if (state) {
      // before backward, or a pass about to start: the node it starts with, and its tensor, in view (the panes had
      // just shrunk to the walk's height and a training loop's first step cut MeanBackward0 (loss)'s name off)
      const next = this.steps.slice(k).find((step) => step.kind === "node");
      if (next) {
        backward.reveal(next.id);
        const tensor = (index.backward.get(next.id) || {}).tensor;
        if (tensor) forward.reveal(tensor);
      }
    }
    backward.markEdges(state ? state.arriving : [], "arriving");
    backward.markEdges(state ? state.outgoing : [], "sending");
    this.root.dataset.step = k === null ? "" : String(k);
    this.root.dataset.stepNode = current || "";
    // the inspector follows the step: a backward node its run in the step's pass, a tensor whether its gradient is known
    const selected = this.selected;
    if (selected) this.fillInspector();
    this.writeAddress(address);
  }

  // The address of what is shown: the run, its step and the node the inspector is open on (`?step=6&node=t2`), in the
  // address bar (`replace`) and the permalink field: a reload or the link copied opens on both. (A node inspected was
  // lost at a reload, and a teacher's link to "W at step 6" opened without W.)
  writeAddress(replace = true) {
    if (!this.address || !this.run || !validId(this.run.id)) return;
    const query = new URLSearchParams();
    if (this.step !== null) query.set("step", String(this.step));
    if (this.selected) query.set("node", this.selected.id);
    const path = `/runs/${this.run.id}${String(query) ? `?${query}` : ""}`;
    if (replace) history.replaceState(history.state, "", path);
    this.page.permalink.value = new URL(path, location.href).href;
  }

  // A step's running node wider or taller than its pane brings both panes down to the scale that shows it whole, no
  // smaller than labels of the page's own size (LABEL_PX.normal), and never up: a training loop's AddmmBackward0 in
  // projector mode at 1366x768 had its formulas and saved values cut off at both edges, to be read by zooming out.
  fitRunning(pane, g) {
    const controls = pane.controls;
    if (!controls || !this.scale) return;
    const scale = Math.max(fitScale(controls.boxOf(g), controls.pane), this.readableScale(LABEL_PX.normal));
    if (scale >= this.scale * 0.999) return;
    this.scale = scale;
    for (const drawn of this.drawnPanes()) drawn.controls.setScale(scale);
  }

  // One column (a phone): the panes one above the other, each most of a screen, and the running node sat below the
  // screen while the person stepped at the top of the page (nothing seemed to move). A step taken whose node is out of
  // the window brings its pane up under the step buttons (they stay at the screen's top), whole where it fits; a node
  // in view, nothing moves: the page moves once, then the pane follows the steps inside itself.
  followStep() {
    const g = this.run && this.panes.backward.node(this.root.dataset.stepNode || "");
    if (!g) return;
    const bar = this.page.graphs && this.page.graphs.querySelector(".stepper");
    const top = bar && getComputedStyle(bar).position === "sticky" ? bar.getBoundingClientRect().bottom : 0;
    const node = g.getBoundingClientRect();
    // (a phone's step words, under the pane: their head on screen too, else a node lit in the pane's top half left
    // them below the screen)
    const panel = this.page.stepPanel.getBoundingClientRect();
    const words = top && panel.top > node.bottom ? Math.min(panel.bottom, panel.top + window.innerHeight * STEP_WORDS_SHOWN) : 0;
    if (node.top >= top && node.bottom <= window.innerHeight && words <= window.innerHeight) return;
    const pane = this.panes.backward.root.getBoundingClientRect();
    const fits = pane.height <= window.innerHeight - top - SHEET_GAP_PX;
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.scrollBy({ top: (fits ? pane.top : node.top) - top - SHEET_GAP_PX, behavior: smooth ? "smooth" : "instant" });
  }

  // The step panel's height through a walk: that of the tallest of the first steps' words at the panel's width, no
  // more than the CSS's share of the screen (a longer step scrolls inside). A fixed share left 100 px of it empty
  // under the tutorial's short steps at 1920x1080, and the 1-D example's forward graph opened without its x and w.
  // A walk taller than that share stretches the panel to hold each step whole (`.stretch`) while the graphs above keep
  // WALK_GRAPHS_KEPT of the room they share with it, and WALK_GRAPHS_MIN_PX (the 2D example's steps scrolled up to
  // 61 px at 1366x768, 83 px in projector mode, 132 px at 1280x720); a taller one scrolls at the panel's share, the
  // graphs keeping their room (stretched, an MLP's steps scrolled still, and its wide nodes lost the pane).
  fitWalk() {
    const panel = this.page.stepPanel;
    panel.style.removeProperty("--walk");
    panel.classList.remove("stretch");
    if (panel.hidden || !this.steps.length || !panel.clientWidth) return;
    const probe = el("section", { class: "step-panel steps", "aria-hidden": "true" });
    probe.style.cssText = "position: absolute; visibility: hidden";
    panel.after(probe);
    const share = parseFloat(getComputedStyle(probe).maxHeight);
    // (the graphs' canvas with the panel at its share, as through a walk)
    const canvas = this.inWalkLayout(() => this.panes.forward.canvas.clientHeight);
    const room = share + canvas;
    const stretched = Math.min(room - WALK_GRAPHS_MIN_PX, room * (1 - WALK_GRAPHS_KEPT));
    probe.style.cssText = `position: absolute; visibility: hidden; width: ${panel.offsetWidth}px; height: auto; max-height: none`;
    let tallest = 0;
    for (let k = 0; k <= Math.min(this.steps.length, WALK_MEASURED); k++) {
      probe.replaceChildren(stepView(this.index, this.steps, k, stateAt(this.run, this.steps, k)));
      for (const how of probe.querySelectorAll("details")) how.open = false;
      tallest = Math.max(tallest, probe.offsetHeight);
    }
    probe.remove();
    panel.style.setProperty("--walk", `${Math.ceil(tallest)}px`);
    panel.classList.toggle("stretch", tallest > share && tallest <= stretched);
    this.markMoreBelow();
  }

  showStepPanel(state) {
    const panel = this.page.stepPanel;
    panel.hidden = !this.run.backward.nodes.length;
    // a walk writes `grad ?` on what has not arrived yet at its step: the legend says what it means from the walk's
    // start (when the panel takes its walk's height too), not before
    if (this.page.legendPending) this.page.legendPending.hidden = panel.hidden || !this.steps.length || !this.walking;
    if (panel.hidden) return;
    const more = el("button", { type: "button", class: "more", text: t("step_more") });
    // (a page of the panel at a time, above the strip the button is on, a line of the last one kept for the eye to follow)
    const onePage = () => panel.clientHeight - more.parentElement.offsetHeight - KEPT_LINE_PX;
    more.addEventListener("click", () => panel.scrollBy({ top: onePage(), behavior: "smooth" }));
    more.setAttribute("aria-keyshortcuts", "PageDown ArrowDown"); // (scrollStepKey)
    more.title = t("step_more_keys");
    const body = stepView(this.index, this.steps, this.step, state, (line) => this.editor.showLine(line));
    body.classList.add("step-body");
    panel.replaceChildren(body, el("div", { class: "more-below", hidden: "" }, more));
    if (this.stepResized) {
      if (this.stepBody) this.stepResized.unobserve(this.stepBody);
      this.stepResized.observe(body);
    }
    this.stepBody = body;
    panel.scrollTop = 0; // (each step from its top: a step scrolled to its end opened the next one at its middle)
    // A run with steps has a panel of one height (CSS), whatever a step says: the graphs above it keep their size
    // through a walk, and a long explanation scrolls inside it. Until the walk starts the panel is only as tall as
    // its few lines (`intro`): the graphs open with that room too (a laptop showed a third of a screen of them, and
    // the tutorial's first graph without its x). The first step gives the panel its height, once, for the whole walk.
    panel.classList.toggle("steps", this.steps.length > 0);
    panel.classList.toggle("intro", this.steps.length > 0 && !this.walking);
    const how = panel.querySelector("details.how");
    if (how) {
      // open until the person has opened or closed it once; closed where backward never ran: it tells of #n, arrows'
      // gradients and formulas such a graph has none of, and open it took the detach example's forward graph the room
      // to show y_detached, the cut's result, at 1366x768
      how.open = this.steps.length > 0 && !remembered(READ_HOW);
      // (its summary clicked, by pointer or keyboard: setting `open` above fires "toggle" too, and counted as read it
      // closed it at the next run before anyone had seen it)
      how.querySelector("summary").addEventListener("click", () => remembered(READ_HOW, "yes"));
    }
    this.markMoreBelow();
  }

  // -- outcome, links, inspector ------------------------------------------------------------------------------

  // What the snippet printed, and the warnings Python printed with it (stderr), a known one explained; then why each
  // leaf that needs a gradient has none after backward (PyTorch says nothing: `w.grad` just prints None), each note
  // with a link to what it speaks of, and the lines where the code cut the graph marked in the editor.
  showOutput() {
    const answer = this.run;
    this.page.stdout.textContent = answer.stdout || t("no_output");
    const warnings = this.page.warnings;
    if (!warnings) return; // (an embedded run: the notebook shows its own stderr)
    const stderr = answer.stderr || "";
    this.page.stderr.textContent = stderr;
    this.page.stderr.hidden = !stderr;
    for (const hint of warnings.querySelectorAll(".hint")) hint.remove();
    const leaf = new Map(answer.forward.nodes.filter((n) => n.kind === "tensor" && n.var).map((n) => [n.var, n.is_leaf]));
    const isLeaf = (name) => leaf.get(name) === true; // (by the last tensor of that name)
    const said = warningHint(stderr, isLeaf, copiedFrom(this.index), (answer.code || "").split("\n"));
    if (said) {
      // the explanation first, with a link to the tensor's node, where the gradient that reached it is shown
      const name = warnedName(stderr, isLeaf);
      const tensor = name && [...this.index.forward.values()].reverse().find((n) => n.kind === "tensor" && n.var === name);
      const show = tensor ? el("button", { type: "button", class: "link", onclick: () => this.showNode("forward", tensor.id) }, t("warn_show_node", { name })) : null;
      this.page.stderr.before(el("p", { class: "hint" }, withCode(said), ...(show ? [" ", show] : [])));
    }
    const missing = missingGrads(this.index);
    for (const found of missing.slice(0, MISSING_SHOWN)) this.page.stderr.before(this.missingNote(found));
    if (missing.length > MISSING_SHOWN) this.page.stderr.before(el("p", { class: "hint", text: t("grad_none_more", { n: missing.length - MISSING_SHOWN }) }));
    for (const line of new Set(missing.filter((f) => f.cut).map((f) => f.cut.line))) if (line) this.editor.markCut(line);
    warnings.hidden = !stderr && !missing.length;
    // (the notes alone are gradwalk's, not a warning Python printed: titled for what they say)
    const title = warnings.querySelector(".warnings-title");
    if (title) {
      title.dataset.i18n = stderr || !missing.length ? "warnings" : "grad_none_title";
      title.textContent = t(title.dataset.i18n);
    }
  }

  // Why a leaf has no .grad, in words, the cut (or the node) it speaks of a link that shows it in the graphs.
  missingNote({ leaf, roots, kind, cut, other, out, set }) {
    const name = nameOf(this.index, leaf);
    const [where, target, text] =
      cut
        ? ["forward", cut.id, t(cut.no_grad ? "cut_at_no_grad" : "cut_at", { how: cutWritten(cut, this.index), line: cut.line ?? "?" })]
        : out // (the line that took its values out: no node of its own, the link shows the leaf)
          ? ["forward", leaf.id, t("cut_at", out)]
          : kind === "late"
          ? ["forward", other.id, t("late_at", { line: other.line ?? "?", op: other.op })]
          : kind === "stopped" || kind === "not_sent"
          ? ["backward", other.id, nodeTitle(this.index, other)]
          : kind === "not_run"
            ? [other.kind === "grad_fn" ? "backward" : "forward", other.id, other.kind === "grad_fn" ? nodeTitle(this.index, other) : nameOf(this.index, other)]
            : ["forward", leaf.id, name];
    const link = el("button", { type: "button", class: "link", onclick: () => this.showNode(where, target) }, text);
    const [before, after] = t(`grad_none_${kind}`, { leaf: name, root: roots.join(", "), dtype: leaf.dtype, set, link: "\u0000" }).split("\u0000");
    return el("p", { class: "hint grad-none", "data-kind": kind }, before, link, after || "");
  }

  // A node a note links to, selected in the inspector and in view (in one column, its pane brought up the page).
  showNode(pane, id) {
    this.inspect(pane, id, true);
    const root = this.panes[pane].root;
    const top = root.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.3) root.scrollIntoView({ block: "start" });
    const g = this.panes[pane].node(id);
    if (g) g.focus({ preventScroll: true }); // (the keyboard goes on from there; Escape closes the inspector)
  }

  // On a phone the inspector is a sheet over the bottom of the screen: the page scrolls the node it speaks of above
  // it (a tapped node was hidden under the sheet that opened for it), as far as the node's top stays in view.
  clearOfSheet(g) {
    const sheet = this.page.inspector;
    if (!g || getComputedStyle(sheet).position !== "fixed") return;
    const node = g.getBoundingClientRect();
    const covered = node.bottom + SHEET_GAP_PX - sheet.getBoundingClientRect().top;
    if (covered > 0) window.scrollBy({ top: Math.min(covered, node.top - SHEET_GAP_PX), behavior: "instant" });
  }

  showStatus() {
    const answer = this.run;
    if (!answer) return;
    const capture = answer.duration_ms === null || answer.duration_ms === undefined ? "–" : Math.round(answer.duration_ms);
    const stopped = answer.recording_stopped;
    const ranOn = answer.status === "limit" && stopped && answer.error && answer.error.type === stopped.type;
    const status = t(ranOn ? "status_limit_recording" : `status_${answer.status}`);
    this.page.status.textContent = t("done", { status, capture, draw: this.drawMs ?? "–" });
    if (answer.fold && answer.fold.groups) this.page.status.textContent += ` · ${t(answer.fold.groups === 1 ? "folded_one" : "folded", { n: answer.fold.groups })}`;
    if (Number.isInteger(answer.recorded_passes) && !stopped) {
      this.page.status.textContent += ` · ${t("passes_paused", { shown: answer.recorded_passes, all: answer.backward_passes })}`;
    }
    if (answer.recording_paused && !stopped) {
      this.page.status.textContent += ` · ${t("loop_paused", { line: answer.recording_paused.line ?? "?" })}`;
    }
  }

  showOutcome() {
    const answer = this.run;
    this.page.error.hidden = true;
    this.editor.clearMarks();
    if (!answer || answer.status === "ok") return;
    const error = answer.error;
    let where = "";
    if (error && error.line) {
      where = error.column ? t("line_column", { line: error.line, column: error.column }) : t("line", { line: error.line });
      where = ` (${where.replaceAll(" ", "\u00a0")})`; // (whole on a line: `(4번` then `줄)` read as two notes)
    }
    const text = error ? `${error.type}: ${error.message}${where}` : t(`status_${answer.status}`);
    // (PyTorch's long English message, first: at 1366x768 "backward through the graph a second time" took eight lines
    // and pushed the hint in the page's language out of sight. Where a hint follows, its first sentence, "show all".
    // A limit's message is gradwalk's own, written to be read whole: its second sentence says the code ran on)
    const shortened = error && error.hint && !LIMITS.includes(error.type);
    const short = shortened ? `${error.type}: ${firstSentence(error.message)}${where}` : text;
    this.showError(text, error && error.hint ? error.hint[language()] : limitHint(error), short);
    if (error && error.line) this.editor.markError(error.line, error.column);
    // a limit stopped the recording, then the code ended another way (ran out of time, raised): both are said
    const stopped = answer.recording_stopped;
    if (stopped && !(error && error.type === stopped.type)) {
      const said = t("recording_stopped_earlier", { line: stopped.line ?? "?", type: stopped.type });
      this.page.error.append(el("p", { class: "hint", text: said }));
    }
  }

  showLinks() {
    const id = this.run.id;
    const links = this.page.links;
    links.hidden = !validId(id);
    if (links.hidden) return;
    this.page.permalink.value = new URL(`/runs/${id}`, location.href).href;
    // pictures of a folded view are drawn folded too (the whole graph may be too big for the server to draw), and the
    // backward graph's carry the formulas the page shows on its nodes, in the page's language (they had none, and
    // "saved" in English on a Korean page: a teacher's slide was not the graph on the screen)
    // an empty graph has no picture to download (no backward() called, or the code stopped before it)
    for (const group of links.querySelectorAll("[data-graph]")) {
      const graph = this.run[group.dataset.graph];
      group.hidden = !(graph && graph.nodes && graph.nodes.length);
    }
    const fold = this.run.fold;
    const formulas = this.formulas ? language() : null;
    for (const a of links.querySelectorAll("a[data-kind]")) {
      const kind = a.dataset.kind;
      const whole = kind === "json" || kind === "html"; // the run itself: /api/runs/{id} and its one-file page
      const query = fold ? viewQuery(fold.budget, fold.expand) : new URLSearchParams();
      if (formulas && kind.startsWith("backward.")) query.set("formulas", formulas);
      const suffix = String(query) ? `?${query}` : "";
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
      this.unfold(node.id, pane);
      return;
    }
    this.selected = { pane, id };
    this.writeAddress();
    this.tabIntoInspector = true; // (Tab on the node goes into it: tabToInspector)
    this.fillInspector();
    this.page.inspector.hidden = false;
    if (this.page.inspectorSaid) {
      // (the keyboard stays on the node: a screen reader hears what opened)
      const title = this.page.inspectorBody.querySelector("#inspector-title");
      this.page.inspectorSaid.textContent = t("inspector_said", { name: title ? title.textContent : "" });
    }
    this.page.layout.classList.add("inspecting");
    const links = this.links(pane, id); // the node and its counterparts in the other pane
    this.panes.forward.mark(pane === "forward" ? [id] : links, "selected");
    this.panes.backward.mark(pane === "backward" ? [id] : links, "selected");
    // the panes just gave the inspector room: the node stays in view, clear of the overview map (a link: centred),
    // with the step's lit nodes where they fit beside it (opened on another node mid-walk, the panes kept their
    // centres and the running AccumulateGrad (X) was cut off at the edge while its step's words spoke of it)
    const running = (p) => [...p.drawn].filter(([, gs]) => gs.some((g) => g.classList.contains("running"))).map(([lit]) => lit);
    this.panes[pane].reveal(id, reveal, [], running(this.panes[pane]));
    // and what it lit in the other graph is brought into view there too, unless it is in view (W's AccumulateGrad was
    // lit out of sight: the link between the graphs showed nothing)
    const other = pane === "forward" ? this.panes.backward : this.panes.forward;
    const drawn = links.filter((link) => other.node(link));
    if (drawn.length) other.reveal(drawn[0], false, [], [...drawn.slice(1), ...running(other)]);
    else other.reveal(running(other)[0], false, [], running(other).slice(1));
    this.clearOfSheet(this.panes[pane].node(id));
    const tensor = node.kind === "grad_fn" ? this.index.forward.get(node.tensor) : node;
    this.editor.showLine(tensor ? tensor.line : null);
  }

  // The inspector's body for the node selected (a backward node: its run in the step's pass, or that it has not run
  // yet at this step).
  fillInspector() {
    const { pane, id } = this.selected;
    const actions = { go: (where, other) => this.inspect(where, other, true), showLine: (n) => this.editor.showLine(n) };
    const state = this.step ? stateAt(this.run, this.steps, this.step) : null;
    const at = state ? { step: this.steps[this.step - 1], steps: this.steps, known: state.known, held: state.held } : null;
    this.page.inspectorBody.replaceChildren(inspectorBody(this.index, pane, id, actions, at));
  }

  // The first Tab on the node the inspector just opened on goes into the inspector (last in the page's order, after
  // both graphs and the legend, it was some fifty Tab presses away), and Shift+Tab from its first stop back to the node
  // (and Tab in again from there). The keyboard is not kept there: Tab goes on past its last stop as the page's order
  // has it, Escape closes it, and a Tab anywhere else leaves the graph's order as it was.
  // ↓ ↑, Page Down and Page Up read on in a step longer than its panel, where the page has no scroll of its own for
  // them (a laptop's screen, a projector's): the keyboard walked the steps with ← →, but reached the rest of a long step
  // only by Tab through every node of both graphs to its More below. Keys in a field, the graphs' canvas (it moves the
  // graph), the inspector and the panel itself (the browser scrolls them) are theirs.
  scrollStepKey(event) {
    const panel = this.page.stepPanel;
    const lines = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    const pages = { PageDown: 1, PageUp: -1 }[event.key];
    if ((!lines && !pages) || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target && (target.isContentEditable || target.closest("input, textarea, select, .canvas, #inspector, #step-panel"))) return;
    if (!panel || panel.hidden || panel.scrollHeight <= panel.clientHeight + 1) return;
    const page = document.scrollingElement || document.documentElement;
    if (page.scrollHeight > window.innerHeight + 1) return;
    event.preventDefault();
    const strip = panel.querySelector(":scope > .more-below");
    const onePage = panel.clientHeight - (strip ? strip.offsetHeight : 0) - KEPT_LINE_PX;
    panel.scrollBy({ top: lines ? lines * KEPT_LINE_PX : pages * onePage, behavior: "smooth" });
  }

  tabToInspector(event) {
    const sheet = this.page.inspector;
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || !sheet || sheet.hidden || !this.selected) return;
    const into = this.tabIntoInspector;
    this.tabIntoInspector = false;
    const stops = [...sheet.querySelectorAll(FOCUSABLE)].filter((stop) => stop.getClientRects().length);
    const { pane, id } = this.selected;
    const g = this.panes[pane].node(id);
    if (!g || !stops.length) return;
    const on = event.target instanceof Element ? event.target.closest("g[data-node]") : null;
    if (into && !event.shiftKey && on && (this.panes[pane].drawn.get(id) || []).includes(on)) {
      event.preventDefault();
      stops[0].focus();
    } else if (event.shiftKey && event.target === stops[0]) {
      event.preventDefault();
      g.focus({ preventScroll: true });
      this.tabIntoInspector = true;
    }
  }

  // `address`: the address drops the node (not when another run is being shown: the address is already that run's).
  closeInspector({ address = true } = {}) {
    const selected = this.selected;
    this.page.inspector.hidden = true;
    this.page.layout.classList.remove("inspecting");
    this.selected = null;
    if (address && selected) this.writeAddress();
    this.panes.forward.mark([], "selected");
    this.panes.backward.mark([], "selected");
    this.editor.showLine(null);
    if (selected) {
      const g = this.panes[selected.pane].node(selected.id);
      if (g) g.focus({ preventScroll: true });
    }
  }

  // Shows or hides the formulas on the backward nodes: the graphs are drawn again at the same scale.
  async setFormulas(on) {
    if (on === this.formulas) return;
    this.formulas = on;
    if (this.run) this.showLinks();
    await this.redraw();
  }

  // The graphs drawn again from the server's DOT, at the same scale and step.
  // The node the inspector was open on stays open, in view (switching the language closed it, and the graphs went
  // back to where backward starts: the learner lost their place).
  async redraw() {
    if (!this.run || this.busy) return;
    const { step, selected, run } = this;
    await this.show(this.run, { scale: this.scale, focus: selected ? [selected.id] : [] });
    if (this.run !== run) return; // (another run was shown meanwhile)
    if (step !== null && step <= this.steps.length) this.setStep(step);
    if (selected && this.panes[selected.pane].node(selected.id)) this.inspect(selected.pane, selected.id);
  }

  // The language changed: say again what is said (the formulas on the nodes too).
  relabel() {
    for (const view of VIEWS) this.panes[view].label();
    this.bar.relabel();
    if (!this.run) return;
    this.showOutcome();
    this.showLinks(); // (the pictures' formulas are in the page's language)
    this.showOutput();
    this.showStatus();
    this.showBanner();
    if (this.index) this.showStepPanel(this.step === null ? null : stateAt(this.run, this.steps, this.step));
    if (this.index) this.fitWalk(); // (other words)
    if (this.selected) this.inspect(this.selected.pane, this.selected.id);
    if (this.formulas) this.redraw();
  }
}
