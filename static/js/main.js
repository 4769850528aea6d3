// The gradwalk page: an editor, the examples, Run, and both graphs of the answer with an inspector.
// Everything drawn comes from the Run JSON the API returns (POST /api/runs, or inlined on a permalink page).
/* global CodeMirror */

import { backwardDot, forwardDot } from "./dot.js";
import { initialLanguage, language, setLanguage, t } from "./i18n.js";
import { el, indexRun, inspectorBody } from "./inspector.js";
import { Pane } from "./pane.js";

const $ = (selector) => document.querySelector(selector);
const examples = JSON.parse($("#examples-data").textContent);
const state = { run: null, index: null, selected: null, busy: false, exampleId: null, expand: [] };
const FOLD_NODES = Number(document.body.dataset.foldNodes) || 1000; // GRADWALK_PAGE_FOLD_NODES
// A run id as the server makes them: only such an id goes into an address (app/api.py's RUN_ID)
const validId = (id) => typeof id === "string" && /^[0-9A-Za-z]{1,32}$/.test(id);

// ---- editor -------------------------------------------------------------------------------------------
const editor = CodeMirror.fromTextArea($("#code"), {
  mode: "python",
  lineNumbers: true,
  lineWrapping: true,
  indentUnit: 4,
  viewportMargin: Infinity,
  gutters: ["CodeMirror-linenumbers", "error-gutter"],
  extraKeys: {
    "Ctrl-Enter": () => run(),
    "Cmd-Enter": () => run(),
    // Esc then Tab leaves the editor: Tab alone indents, as in any code editor
    Esc: (cm) => {
      cm.state.tabLeaves = true;
    },
    Tab: (cm) => (cm.state.tabLeaves ? CodeMirror.Pass : cm.execCommand("indentMore")),
    "Shift-Tab": (cm) => (cm.state.tabLeaves ? CodeMirror.Pass : cm.execCommand("indentLess")),
  },
});
editor.on("keydown", (cm, event) => {
  if (event.key !== "Escape" && event.key !== "Tab" && event.key !== "Shift") cm.state.tabLeaves = false;
});
editor.on("blur", (cm) => {
  cm.state.tabLeaves = false;
});
// Edited away from the chosen example: its explanation no longer fits the code
editor.on("changes", () => {
  const example = examples.find((e) => e.id === state.exampleId);
  if (example && editor.getValue() !== example.code) {
    state.exampleId = null;
    select.value = "";
    showAbout();
  }
});
editor.getInputField().setAttribute("aria-label", t("code"));
let marked = [];

function clearMarks() {
  for (const undo of marked) undo();
  marked = [];
}

function markLine(line, className, gutterText) {
  const handle = editor.addLineClass(line - 1, "wrap", className);
  const undo = [() => editor.removeLineClass(handle, "wrap", className)];
  if (gutterText) {
    editor.setGutterMarker(line - 1, "error-gutter", el("span", { class: "gutter-mark", text: gutterText }));
    undo.push(() => editor.clearGutter("error-gutter"));
  }
  marked.push(...undo);
  editor.scrollIntoView({ line: line - 1, ch: 0 }, 60);
}

let sourceMark = null;
function showLine(line) {
  if (sourceMark) editor.removeLineClass(sourceMark, "wrap", "source-line");
  sourceMark = line && line <= editor.lineCount() ? editor.addLineClass(line - 1, "wrap", "source-line") : null;
  if (sourceMark) editor.scrollIntoView({ line: line - 1, ch: 0 }, 60);
}

// ---- examples -----------------------------------------------------------------------------------------
const select = $("#example");
function fillExamples() {
  const keep = select.value;
  select.replaceChildren(el("option", { value: "", text: t("choose_example") }));
  const groups = [el("optgroup", { label: t("seed_group") }), el("optgroup", { label: t("more_group") })];
  examples.forEach((example, i) => {
    const title = language() === "ko" ? example.title : example.title_en;
    groups[i < 6 ? 0 : 1].append(el("option", { value: example.id, text: `${i < 6 ? `${i + 1}. ` : ""}${title}` }));
  });
  select.append(...groups);
  select.value = keep;
}

// Explanations use two marks: lines starting "- " are bullets and `backticks` are code.
function prose(text) {
  const box = document.createDocumentFragment();
  let list = null;
  for (const line of text.split("\n")) {
    const item = line.startsWith("- ");
    const target = el(item ? "li" : "p");
    line
      .replace(/^- /, "")
      .split("`")
      .forEach((part, i) => target.append(i % 2 ? el("code", { text: part }) : part));
    if (item) {
      list = list || box.appendChild(el("ul"));
      list.append(target);
    } else {
      list = null;
      box.append(target);
    }
  }
  return box;
}

function showAbout() {
  const example = examples.find((e) => e.id === state.exampleId);
  const about = $("#about");
  about.hidden = !example;
  if (!example) return;
  const ko = language() === "ko";
  about.replaceChildren(el("h2", { text: ko ? example.title : example.title_en }), prose(ko ? example.about : example.about_en));
}

select.addEventListener("change", () => {
  const example = examples.find((e) => e.id === select.value);
  if (!example) return;
  state.exampleId = example.id;
  editor.setValue(example.code);
  clearMarks();
  showAbout();
  editor.focus();
});

// ---- panes and linking --------------------------------------------------------------------------------
function hover(pane, id) {
  const other = pane === "forward" ? "backward" : "forward";
  const links = id ? (pane === "forward" ? state.index.toBackward : state.index.toForward).get(id) || [] : [];
  panes[pane].mark(id ? [id] : [], "hovered");
  panes[other].mark(links, "linked");
}

const panes = {};
for (const view of ["forward", "backward"]) {
  panes[view] = new Pane($(`#${view}-pane`), view === "forward" ? "f-" : "b-", {
    onHover: (id) => hover(view, id),
    onSelect: (id) => inspect(view, id),
  });
}

// ---- inspector ----------------------------------------------------------------------------------------
const inspector = $("#inspector");
function inspect(pane, id, reveal = false) {
  if (!state.index) return;
  const node = pane === "forward" ? state.index.forward.get(id) : state.index.backward.get(id);
  if (!node) return;
  if (node.kind === "group") {
    unfold(node.id);
    return;
  }
  state.selected = { pane, id };
  $("#inspector-body").replaceChildren(
    inspectorBody(state.index, pane, id, { go: (where, other) => inspect(where, other, true), showLine }),
  );
  inspector.hidden = false;
  $(".layout").classList.add("inspecting");
  // the node and its counterparts in the other pane
  const links = (pane === "forward" ? state.index.toBackward : state.index.toForward).get(id) || [];
  panes.forward.mark(pane === "forward" ? [id] : links, "selected");
  panes.backward.mark(pane === "backward" ? [id] : links, "selected");
  if (reveal) panes[pane].reveal(id);
  const tensor = node.kind === "grad_fn" ? state.index.forward.get(node.tensor) : node;
  showLine(tensor ? tensor.line : null);
}

function closeInspector() {
  const selected = state.selected;
  inspector.hidden = true;
  $(".layout").classList.remove("inspecting");
  state.selected = null;
  panes.forward.mark([], "selected");
  panes.backward.mark([], "selected");
  showLine(null);
  if (selected) {
    const g = panes[selected.pane].node(selected.id);
    if (g) g.focus();
  }
}
$("#inspector-close").addEventListener("click", closeInspector);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !inspector.hidden && !editor.hasFocus()) closeInspector();
});

// ---- running ------------------------------------------------------------------------------------------
const status = $("#status");
const runButton = $("#run");

function setBusy(busy) {
  state.busy = busy;
  runButton.disabled = busy;
  runButton.setAttribute("aria-busy", String(busy));
  document.body.classList.toggle("busy", busy);
}

function showError(text, hint) {
  const box = $("#error");
  box.replaceChildren(el("p", { class: "message", text }));
  if (hint) box.append(el("p", { class: "hint", text: hint }));
  box.hidden = false;
}

async function run() {
  if (state.busy) return;
  const code = editor.getValue();
  state.expand = [];
  setBusy(true);
  clearMarks();
  $("#error").hidden = true;
  const started = performance.now();
  const tick = () => status.replaceChildren(t("running", { s: ((performance.now() - started) / 1000).toFixed(1) }));
  tick();
  const timer = setInterval(tick, 100);
  let answer = null;
  try {
    // big graphs come folded (the stored run keeps every node)
    const response = await fetch(`/api/runs?fold=${FOLD_NODES}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      answer = body;
    } else {
      const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
      const retry = response.headers.get("Retry-After");
      showError(
        t("error_server", { status: response.status, detail: detail || response.statusText }) +
          (retry ? ` ${t("retry_after", { s: retry })}` : ""),
      );
    }
  } catch (error) {
    showError(t("error_network", { message: error.message }));
  } finally {
    clearInterval(timer);
    setBusy(false);
  }
  if (!answer) {
    status.textContent = "";
    return;
  }
  if (validId(answer.id) && location.pathname !== `/runs/${answer.id}`) history.pushState({ id: answer.id }, "", `/runs/${answer.id}`);
  const graphs = $(".graphs");
  if (graphs.getBoundingClientRect().top > window.innerHeight * 0.6) {
    // one column (tablets, narrow windows): bring the graphs into view
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    graphs.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
  }
  await show(answer);
}

// A folded view of the run from the server (GET /api/runs/{id}?fold=…&expand=…), or null if it cannot be had.
async function foldedView(id) {
  const query = new URLSearchParams({ fold: String(FOLD_NODES) });
  for (const group of state.expand) query.append("expand", group);
  try {
    const response = await fetch(`/api/runs/${id}?${query}`);
    if (response.ok) return await response.json();
    showError(t("error_server", { status: response.status, detail: (await response.json()).detail }));
  } catch (error) {
    showError(t("error_network", { message: error.message }));
  }
  return null;
}

async function unfold(group) {
  if (state.busy || !state.run || !validId(state.run.id)) return;
  setBusy(true);
  status.textContent = t("unfolding");
  state.expand = [...state.expand, group];
  const view = await foldedView(state.run.id);
  setBusy(false);
  if (view) await show(view);
  else status.textContent = "";
}

// Draws a Run, or a folded view of one: the server folds what is over FOLD_NODES before it answers.
async function show(answer) {
  if (answer.fold) state.expand = [...answer.fold.expand];
  state.run = answer;
  state.index = indexRun(answer);
  if (!inspector.hidden) closeInspector();
  showOutcome();
  showLinks(answer);
  const out = $("#output");
  out.hidden = false;
  $("#stdout").textContent = answer.stdout || t("no_output");
  status.textContent = t("drawing");
  const started = performance.now();
  await Promise.all([
    panes.forward.draw(() => forwardDot(answer), answer.forward.nodes.length, "empty_forward"),
    panes.backward.draw(() => backwardDot(answer), answer.backward.nodes.length, "empty_backward"),
  ]);
  state.drawMs = Math.round(performance.now() - started);
  document.body.dataset.drawMs = String(state.drawMs);
  document.body.dataset.runId = answer.id || "";
  showStatus();
}

function showStatus() {
  const answer = state.run;
  if (!answer) return;
  status.textContent = t("done", {
    status: t(`status_${answer.status}`),
    capture: answer.duration_ms === null || answer.duration_ms === undefined ? "–" : Math.round(answer.duration_ms),
    draw: state.drawMs ?? "–",
  });
  if (answer.fold && answer.fold.groups) status.textContent += ` · ${t("folded", { n: answer.fold.groups })}`;
}

function showOutcome() {
  const answer = state.run;
  $("#error").hidden = true;
  clearMarks();
  if (!answer || answer.status === "ok") return;
  const error = answer.error;
  const where = error && error.line ? ` (${t("line", { line: error.line })})` : "";
  const text = error ? `${error.type}: ${error.message}${where}` : t(`status_${answer.status}`);
  showError(text, error && error.hint ? error.hint[language()] : null);
  if (error && error.line && error.line <= editor.lineCount()) markLine(error.line, "error-line", "!");
}

function showLinks(answer) {
  const id = answer.id;
  const links = $("#run-links");
  links.hidden = !validId(id);
  if (links.hidden) return;
  $("#permalink").value = new URL(`/runs/${id}`, location.href).href;
  // pictures of a folded view are drawn folded too (the whole graph may be too big for the server to draw)
  const query = new URLSearchParams();
  if (answer.fold) {
    query.set("fold", String(answer.fold.budget));
    for (const group of answer.fold.expand) query.append("expand", group);
  }
  const suffix = answer.fold ? `?${query}` : "";
  for (const a of links.querySelectorAll("a[data-kind]")) {
    const kind = a.dataset.kind;
    a.href = kind === "json" ? `/api/runs/${id}` : `/api/runs/${id}/${kind}${suffix}`;
    a.setAttribute("download", kind === "json" ? `${id}.json` : `${id}-${kind}`);
  }
}

$("#copy").addEventListener("click", async () => {
  const input = $("#permalink");
  const said = $("#copied");
  try {
    await navigator.clipboard.writeText(input.value);
    said.textContent = t("copied");
  } catch {
    input.focus();
    input.select();
    said.textContent = t("copy_failed");
  }
  setTimeout(() => {
    said.textContent = "";
  }, 2500);
});

runButton.addEventListener("click", run);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !editor.hasFocus()) {
    event.preventDefault();
    run();
  }
});

// ---- language -----------------------------------------------------------------------------------------
function applyLanguage(lang, remember) {
  setLanguage(lang, remember);
  editor.getInputField().setAttribute("aria-label", t("code"));
  fillExamples();
  showAbout();
  if (state.run) {
    showOutcome();
    showStatus();
    if (state.selected) inspect(state.selected.pane, state.selected.id);
  }
}
$("#lang").addEventListener("click", () => applyLanguage(language() === "ko" ? "en" : "ko", true));

// ---- start --------------------------------------------------------------------------------------------
async function loadFromPage() {
  const inline = $("#run-data");
  const missing = $("#missing-run");
  if (inline) {
    let answer;
    try {
      answer = JSON.parse(inline.textContent);
    } catch (error) {
      showError(t("bad_run", { message: error.message }));
      return;
    }
    const example = examples.find((e) => e.code === answer.code);
    if (example) {
      state.exampleId = example.id;
      select.value = example.id;
      showAbout();
    }
    editor.setValue(typeof answer.code === "string" ? answer.code : "");
    try {
      await show(answer);
    } catch (error) {
      // a stored run that is no Run (one kept from before results were validated): say so, draw nothing
      showError(t("bad_run", { message: error.message }));
    }
  } else if (missing) {
    showError(t("not_found", { id: JSON.parse(missing.textContent) }));
  } else {
    state.exampleId = examples[0].id;
    select.value = examples[0].id;
    editor.setValue(examples[0].code);
    showAbout();
  }
}

window.addEventListener("popstate", () => location.reload());
applyLanguage(initialLanguage(), false);
loadFromPage();
