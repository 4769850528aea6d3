// The gradwalk page: makes the editor, the examples menu and the viewer of runs, and wires the buttons, keys and
// language toggle to them. What is drawn comes from the server: the Run JSON (POST /api/runs, or inlined in a
// permalink page) and the server's DOT of its graphs.

import { readView, validId, viewQuery } from "./api.js";
import { parseJson } from "./format.js";
import { unreordered } from "./shown.js";
import { Editor } from "./editor.js";
import { Examples } from "./examples.js";
import { initialLanguage, language, setLanguage, t } from "./i18n.js";
import { StepBar } from "./stepbar.js";
import { remembered, Viewer } from "./viewer.js";

const $ = (selector) => document.querySelector(selector);
const CHOSEN_RUN_MS = 300; // an example chosen from the menu runs this long after the last choice

function start() {
  const examples = new Examples(JSON.parse($("#examples-data").textContent), $("#example"), $("#about"), {
    onChoose: (example) => {
      choosing = true; // (the graphs are not of code changed since: the chosen example is about to run)
      editor.value = example.code;
      choosing = false;
      editor.clearMarks();
      // run once the menu rests (↓ on it chooses the next example; the keyboard stays there)
      clearTimeout(chosen);
      chosen = setTimeout(runChosen, CHOSEN_RUN_MS);
    },
  });
  let chosen = null;
  let choosing = false;
  const edited = (code) => {
    examples.edited(code);
    if (!choosing) viewer.codeChanged(code);
  };
  const editor = new Editor($("#code"), { onRun: () => runEditor(), onEdit: edited });
  const page = {
    forwardPane: $("#forward-pane"),
    backwardPane: $("#backward-pane"),
    run: $("#run"),
    status: $("#status"),
    error: $("#error"),
    graphs: $(".graphs"),
    layout: $(".layout"),
    inspector: $("#inspector"),
    inspectorBody: $("#inspector-body"),
    inspectorSaid: $("#inspector-said"),
    output: $("#output"),
    stdout: $("#stdout"),
    warnings: $("#warnings"),
    stderr: $("#stderr"),
    links: $("#run-links"),
    permalink: $("#permalink"),
    banner: $("#backward-banner"),
    stepPanel: $("#step-panel"),
    stale: $("#stale"),
    legendGroup: $(".legend-group"),
    legendReturned: $(".legend-returned"),
    legendByBackward: $(".legend-by-backward"),
    legendPending: $(".legend-pending"),
    root: document.body,
    address: true, // the step and the run are in the address bar
  };
  const bar = {
    bar: $("#stepper"),
    first: $("#step-first"),
    prev: $("#step-prev"),
    next: $("#step-next"),
    last: $("#step-last"),
    slider: $("#step-slider"),
    count: $("#step-count"),
    play: $("#step-play"),
    speed: $("#step-speed"),
  };
  const data = document.body.dataset;
  const limits = { fold: Number(data.foldNodes) || 1000, draw: Number(data.drawMaxNodes) || 4000, edges: Number(data.drawMaxEdges) || 4000, layout: Number(data.layoutMaxS) || 0 };
  const makeBar = (onStep) => new StepBar(bar, { onStep, isTyping: () => editor.hasFocus() });
  const viewer = new Viewer(page, limits, editor, makeBar);
  const runEditor = () => {
    clearTimeout(chosen);
    viewer.runCode(editor.value);
  };
  const runChosen = () => {
    if (viewer.busy) chosen = setTimeout(runChosen, CHOSEN_RUN_MS);
    else runEditor();
  };

  page.run.addEventListener("click", runEditor);
  $("#inspector-close").addEventListener("click", () => viewer.closeInspector());
  document.addEventListener("keydown", (event) => {
    viewer.tabToInspector(event);
    if (!editor.hasFocus()) viewer.scrollStepKey(event);
    if (event.key === "Escape" && !page.inspector.hidden && !editor.hasFocus()) viewer.closeInspector();
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !editor.hasFocus()) {
      event.preventDefault();
      runEditor();
    }
  });
  $("#copy").addEventListener("click", () => copyPermalink(page.permalink, $("#copied")));
  const applyLanguage = (lang, remember) => {
    setLanguage(lang, remember);
    editor.label(t("code"));
    examples.fill();
    examples.showAbout();
    viewer.relabel();
  };
  $("#lang").addEventListener("click", () => applyLanguage(language() === "ko" ? "en" : "ko", true));
  const projector = $("#projector");
  const applyProjector = (on, remember) => {
    projector.setAttribute("aria-pressed", String(on));
    viewer.setProjector(on);
    if (remember) remembered(PROJECTOR, on ? "on" : "");
  };
  projector.addEventListener("click", () => applyProjector(projector.getAttribute("aria-pressed") !== "true", true));
  applyProjector(remembered(PROJECTOR) === "on", false);
  const formulas = $("#formulas");
  formulas.checked = remembered(FORMULAS) !== "off"; // on until switched off
  viewer.formulas = formulas.checked;
  formulas.addEventListener("change", () => {
    remembered(FORMULAS, formulas.checked ? "" : "off");
    viewer.setFormulas(formulas.checked);
  });
  window.addEventListener("popstate", () => location.reload());

  applyLanguage(initialLanguage(), false);
  loadFromPage(examples, editor, viewer);
}

async function copyPermalink(input, said) {
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
}

const STATUSES = ["ok", "error", "timeout", "limit"];

// Whether `answer` has what the page draws from: a status and both graphs.
function isRun(answer) {
  const graph = (view) => answer[view] && Array.isArray(answer[view].nodes) && Array.isArray(answer[view].edges);
  return Boolean(answer) && STATUSES.includes(answer.status) && graph("forward") && graph("backward");
}

// A permalink page carries its run inline, or its id when the run is too big to carry (read from the API then:
// GRADWALK_PAGE_INLINE_MAX_BYTES); a missing run says so; the home page starts on the first example.
async function loadFromPage(examples, editor, viewer) {
  const inline = $("#run-data");
  const ref = $("#run-ref");
  const missing = $("#missing-run");
  if (inline || ref) {
    let answer;
    try {
      const id = ref && JSON.parse(ref.textContent);
      if (ref && !validId(id)) throw new Error("not a run id");
      answer = inline ? parseJson(inline.textContent) : await readView(id, viewQuery(viewer.fold));
    } catch (error) {
      viewer.showError(t("bad_run", { message: error.message }));
      return;
    }
    const code = answer && typeof answer.code === "string" ? answer.code : "";
    examples.choose(examples.find((e) => e.code === code));
    editor.value = code;
    if (!isRun(answer)) {
      // a stored run that is no Run (kept from before results were checked): said, not drawn
      viewer.showError(t("bad_run", { message: "not a Run" }));
      return;
    }
    try {
      await viewer.show(answer);
    } catch (error) {
      viewer.showError(t("bad_run", { message: error.message }));
    }
  } else if (missing) {
    viewer.showError(t("not_found", { id: unreordered(JSON.parse(missing.textContent)) }));
  } else {
    // the first visit shows the tutorial's first example already run, its printed output open
    const first = examples.examples[0];
    examples.choose(first);
    editor.value = first.code;
    await viewer.runCode(first.code, false);
  }
}

const PROJECTOR = "gradwalk-projector";
const FORMULAS = "gradwalk-formulas"; // "off": the backward nodes carry no formulas

start();
