// The viewer in a document of its own, with no server: a notebook's outputs or a one-file run (app/embed.py
// bundles these modules into one script). Each embedded run is a `.gw-embed` element holding its data (the Run
// or folded view, the server's DOT of both graphs, and any folded views made ahead) in a JSON script element;
// `mountAll()` draws every one not drawn yet with the page's own Viewer, whose DOT and views come from that
// data instead of the server. Graphviz comes inside the bundle (embed-layout.js).

import { el } from "./dom.js";
import { makeLayout } from "./embed-layout.js";
import { parseJson } from "./format.js";
import { initialLanguage, language, setLanguage, t } from "./i18n.js";
import { setLayout } from "./pane.js";
import { StepBar } from "./stepbar.js";
import { Viewer } from "./viewer.js";

const DATA_VERSION = 1;
// What only an embedded run says, in both languages.
const WORDS = {
  en: {
    code: "Code",
    offline_fold: "This group was not opened ahead of time: without a server, only the groups of the first view open.",
    no_viewer: "The interactive view did not load: run `%load_ext gradwalk` (or show a run) again in this notebook.",
  },
  ko: {
    code: "코드",
    offline_fold: "이 그룹은 미리 펼쳐 두지 않았습니다: 서버 없이는 처음 화면의 그룹만 펼칠 수 있습니다.",
    no_viewer: "대화형 보기를 불러오지 못했습니다: 이 노트북에서 `%load_ext gradwalk`를 (또는 실행 결과 표시를) 다시 실행하세요.",
  },
};
const say = (key) => WORDS[language()][key] || WORDS.en[key];

const mounted = []; // the viewers of this document, relabelled together when the language changes

// The source lines of the run, numbered, in place of the page's editor: an error's line and the inspected
// node's line are marked.
class CodeView {
  constructor(root, code) {
    this.lines = [];
    this.box = root;
    const list = el("ol", { class: "gw-lines" });
    for (const line of (code || "").split("\n")) {
      const item = el("li", {}, el("code", { text: line || " " }));
      this.lines.push(item);
      list.append(item);
    }
    root.append(list);
    this.hidden = !code;
  }

  clearMarks() {
    for (const item of this.lines) item.classList.remove("error-line");
  }

  markError(line) {
    const item = this.lines[line - 1];
    if (item) item.classList.add("error-line");
  }

  showLine(line) {
    for (const item of this.lines) item.classList.remove("source-line");
    const item = line ? this.lines[line - 1] : null;
    if (!item) return;
    item.classList.add("source-line");
    if (this.box.open === false) this.box.open = true;
    item.scrollIntoView({ block: "nearest" });
  }
}

// The views the document carries, answered as the server would (Viewer's `source`).
function sourceOf(data) {
  const key = (query) => new URLSearchParams(query).toString();
  const views = new Map([[key({ fold: String(data.fold) }), data]]);
  for (const made of data.views || []) views.set(key(made.query), made);
  const find = (query) => {
    const found = views.get(key(query));
    if (!found) throw new Error(say("offline_fold"));
    return found;
  };
  return {
    // (the backward graph with each node's formula in the language asked, where the document carries it)
    readDot: async (id, view, query, formulas = null) => {
      const dot = find(query).dot;
      return (formulas && dot[`${view}.${formulas}`]) || dot[view];
    },
    readView: async (id, query) => find(query).run,
  };
}

// The page's markup (templates/page.html) made here, with classes where the page has ids: a document may hold
// several runs.
function pane(view, banner = null) {
  const zoom = (action, label, text) =>
    el("button", { type: "button", "data-zoom": action, "data-i18n-aria": label, "data-i18n-title": label, class: action === "actual" ? "actual" : "" }, text);
  return el(
    "section",
    { class: `pane gw-${view}`, role: "region", "data-i18n-aria": `${view}_label`, "data-state": "empty" },
    el(
      "header",
      { class: "pane-head" },
      el("h2", { "data-i18n": view, text: t(view) }),
      el(
        "span",
        { class: "zoom" },
        zoom("zoomOut", "zoom_out", "−"),
        zoom("zoomIn", "zoom_in", "+"),
        zoom("actual", "actual_size", "1:1"),
        zoom("fit", "fit", "⤢"),
      ),
    ),
    banner,
    el("div", { class: "canvas", tabindex: "0", role: "group", "aria-label": t("canvas_keys"), "data-i18n-aria": "canvas_keys" }),
  );
}

function legend() {
  const item = (swatch, key, attributes = {}) =>
    el("li", attributes, swatch ? el("span", { class: swatch }) : null, el("span", { "data-i18n": key, text: t(key) }));
  const group = item("swatch group", "legend_group", { hidden: "" });
  const returned = item("line returned", "legend_returned", { hidden: "" });
  const byBackward = item("swatch by-backward", "legend_by_backward", { hidden: "" });
  const pending = el("li", { class: "legend-pending", hidden: "" }, el("span", { class: "mark pending", text: "grad ?" }), el("span", { "data-i18n": "legend_pending", text: t("legend_pending") }));
  const box = el(
    "aside",
    { class: "legend" },
    el(
      "ul",
      {},
      item("swatch leaf", "legend_leaf"),
      item("swatch output", "legend_output"),
      item("swatch saved", "legend_saved"),
      item("swatch plain", "legend_plain"),
      item("swatch constant", "legend_constant"),
      item("line no-grad", "legend_no_grad_edge"),
      item("swatch cut", "legend_cut"),
      byBackward,
      returned,
      item("swatch running", "legend_running"),
      pending,
      group,
      item(null, "legend_order"),
    ),
  );
  return { box, group, returned, byBackward, pending };
}

// An icon of the step controls, the page's own (templates/page.html): one path in a 16×16 box.
function icon(path, name) {
  const SVG = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(SVG, "svg");
  for (const [key, value] of Object.entries({ class: `icon ${name}`, viewBox: "0 0 16 16", "aria-hidden": "true", focusable: "false" })) {
    svg.setAttribute(key, value);
  }
  const shape = document.createElementNS(SVG, "path");
  shape.setAttribute("d", path);
  svg.append(shape);
  return svg;
}

// The step controls (stepbar.js), as the page has them.
function stepControls() {
  const button = (key, path) => el("button", { type: "button", "data-i18n-aria": key, "data-i18n-title": key }, icon(path, ""));
  const pause = icon("M3 2h4v12H3zM9 2h4v12H9z", "pause-icon");
  pause.setAttribute("hidden", "");
  const controls = {
    first: button("step_first", "M3 3h2v10H3zM13 3v10L6 8z"),
    prev: button("step_prev", "M12 3v10L5 8z"),
    next: button("step_next", "M4 3v10l7-5z"),
    last: button("step_last", "M11 3h2v10h-2zM3 3v10l7-5z"),
    slider: el("input", { type: "range", min: "0", max: "1", step: "1", value: "1", class: "step-slider", "data-i18n-aria": "step_slider" }),
    count: el("output", { class: "step-count" }),
    play: el(
      "button",
      { type: "button", class: "play", "aria-pressed": "false" },
      icon("M4 2v12l10-6z", "play-icon"),
      pause,
      " ",
      el("span", { class: "play-text", "data-i18n": "step_play", text: t("step_play") }),
    ),
    speed: el(
      "select",
      {},
      el("option", { value: "2000", "data-i18n": "speed_slow" }),
      el("option", { value: "1000", selected: "", "data-i18n": "speed_normal" }),
      el("option", { value: "400", "data-i18n": "speed_fast" }),
    ),
  };
  controls.bar = el(
    "div",
    { class: "stepper", role: "group", "data-i18n-aria": "step_controls", hidden: "" },
    el("span", { class: "step-buttons" }, controls.first, controls.prev, controls.next, controls.last),
    controls.slider,
    controls.count,
    controls.play,
    el("label", { class: "speed" }, el("span", { "data-i18n": "step_speed", text: t("step_speed") }), controls.speed),
  );
  return controls;
}

function applyLanguage(lang) {
  const host = document.documentElement.lang; // a notebook keeps its own language; a one-file run's is the run's
  setLanguage(lang, false);
  if (!document.body.classList.contains("gw-file")) document.documentElement.lang = host;
  for (const { viewer, root } of mounted) {
    root.lang = language();
    for (const title of root.querySelectorAll("[data-gw-say]")) title.textContent = say(title.dataset.gwSay);
    viewer.relabel();
  }
}

// Draws one embedded run in `root` (a .gw-embed element); resolves once both graphs are drawn.
export async function mount(root) {
  root.dataset.mounted = "1";
  const holder = root.querySelector("script.gw-data");
  let data;
  try {
    data = parseJson(holder.textContent);
  } catch (error) {
    root.dataset.state = "failed";
    root.append(el("p", { class: "error", text: t("bad_run", { message: error.message }) }));
    return;
  }
  if (!data || data.version !== DATA_VERSION) {
    root.dataset.state = "failed";
    return;
  }
  // one language for the document: the one an output was made with (`%gradwalk --lang ko`), else the reader's
  if (data.lang === "ko" || data.lang === "en") applyLanguage(data.lang);
  else if (!mounted.length) applyLanguage(initialLanguage());
  for (const fallback of root.querySelectorAll(".gw-static")) fallback.hidden = true;

  const banner = el("p", { class: "banner", role: "note", "data-i18n": "banner_no_backward", hidden: "" });
  const forwardPane = pane("forward");
  const backwardPane = pane("backward", banner);
  const steps = stepControls();
  const stepPanel = el("section", { class: "step-panel", "data-i18n-aria": "step_panel", "aria-live": "polite", hidden: "" });
  const key = legend();
  const inspectorBody = el("div");
  const close = el("button", { type: "button", class: "close", "data-i18n-aria": "close", "data-i18n-title": "close" }, "×");
  const inspector = el("aside", { class: "inspector", hidden: "" }, close, inspectorBody);
  const graphs = el("div", { class: "graphs" }, steps.bar, forwardPane, backwardPane, stepPanel, key.box);
  const layout = el("div", { class: "layout" }, graphs, inspector);
  const status = el("span", { class: "status", role: "status", "aria-live": "polite" });
  const toggle = el("button", { type: "button", class: "lang", "data-i18n": "language", "data-i18n-title": "language_label" });
  const error = el("div", { class: "error", role: "alert", hidden: "" });
  const stdout = el("pre");
  const output = el("details", { class: "output", hidden: "" }, el("summary", { "data-i18n": "output", text: t("output") }), stdout);
  const codeBox = el("details", { class: "output gw-code" }, el("summary", { "data-gw-say": "code", text: say("code") }));
  if (data.open_code) codeBox.open = true;
  const code = new CodeView(codeBox, data.run && data.run.code);
  codeBox.hidden = code.hidden;
  const bar = el("div", { class: "gw-bar" }, el("span", { class: "gw-brand", text: "gradwalk" }), status, toggle);
  const ui = el("div", { class: "gw-ui" }, bar, error, layout, output, codeBox);
  root.append(ui);

  const detached = el("div", {}, el("input")); // the page's run button, permalink and downloads: none here
  const page = {
    forwardPane,
    backwardPane,
    run: el("button"),
    status,
    error,
    graphs,
    layout,
    inspector,
    inspectorBody,
    output,
    stdout,
    links: detached,
    permalink: detached.firstChild,
    banner,
    stepPanel,
    legendGroup: key.group,
    legendReturned: key.returned,
    legendByBackward: key.byBackward,
    legendPending: key.pending,
    root, // its state (data-step, data-draw-ms…) on its own element; the address is the document's, not its
    address: false,
  };
  const makeBar = (onStep) => new StepBar(steps, { onStep, keys: root });
  const limits = { fold: data.fold, draw: data.draw_max_nodes || 4000, edges: data.draw_max_edges || 4000 };
  const viewer = new Viewer(page, limits, code, makeBar, sourceOf(data));
  viewer.formulas = Boolean(data.dot && data.dot["backward.en"]); // as the page draws its backward nodes by default
  mounted.push({ viewer, root });
  root.lang = language();
  close.addEventListener("click", () => viewer.closeInspector());
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !inspector.hidden) viewer.closeInspector();
  });
  toggle.addEventListener("click", () => applyLanguage(language() === "ko" ? "en" : "ko"));
  applyLanguage(language()); // labels the new elements
  root.dataset.state = "drawing";
  try {
    await viewer.show(data.run);
  } finally {
    root.dataset.state = "drawn";
  }
}

// Draws every embedded run of the document not drawn yet.
export function mountAll() {
  return Promise.all([...document.querySelectorAll(".gw-embed:not([data-mounted])")].map((root) => mount(root)));
}

// The bundle's entry (app/embed.py calls it with the Graphviz it carries): sets the layout, offers the viewer to
// the document's embedded runs (they call it when they arrive; those already there are drawn now).
export function start(version, vizBase64, workerScript) {
  setLayout(makeLayout(vizBase64, workerScript));
  globalThis.gradwalkViewer = { version, mount, mountAll };
  mountAll();
  return globalThis.gradwalkViewer;
}
