// What a backward node computes, in words and with the run's own numbers: the node's `explain` (its local
// derivative, the chain rule for each input, checked against PyTorch), or, for a node no rule explains yet, the
// gradients it received and sent. Shown beside the graphs while stepping through backward, and in the inspector.

import { el, withCode } from "./dom.js";
import { formatNumber, formatSummary, shortened, sumText, wholeValues } from "./format.js";
import { language, t } from "./i18n.js";
import { cutUpstream, madeByTransform, nameOf, valuesOutOn } from "./names.js";
import { edgeGrad, runIn, stoppedBeforeBackward } from "./stepper.js";

const say = (words) => (words ? words[language()] || words.en || "" : "");
// The step panel's values longer than this (characters; a phone's panel is a third as wide) are shown cut short, with a
// button that shows them whole: a 5×8 received gradient took the panel's height at 1366x768 and pushed the chain
// rule, the step's point, out of view.
const PANEL_VALUE_CHARS = { wide: 90, phone: 45 };
const PHONE = "(max-width: 640px)"; // (static/gradwalk.css: one pane above the other)
// A step's lists (a node's inputs, the gradients it sent) show this many lines, then how many more, as the inspector's
// (LIST_SHOWN): a forged node of 20,000 inputs held the page 12 s as it opened and at its step, 0.6 ms a line.
const STEP_LIST_SHOWN = 1000;
const stepListMore = (length) => el("li", { class: "note", text: t("step_list_more", { n: length - STEP_LIST_SHOWN }) });
// A node's inputs in Korean words, as the server writes its paths (app/explain/rules/special.py)
const KOREAN_ORDINALS = ["첫 번째", "두 번째", "세 번째", "네 번째", "다섯 번째", "여섯 번째", "일곱 번째", "여덟 번째"];

// `holder` showing `short` of `text`, with a button showing it whole (and short again); `show(holder, text)` writes it.
export function expandable(holder, short, text, show = (into, what) => (into.textContent = what)) {
  show(holder, short);
  if (short === text) return holder;
  const button = el("button", { type: "button", class: "link value-more", "aria-expanded": "false", text: t("value_more") });
  button.addEventListener("click", () => {
    const whole = button.getAttribute("aria-expanded") !== "true";
    show(holder, whole ? text : short);
    button.textContent = t(whole ? "value_less" : "value_more");
    button.setAttribute("aria-expanded", String(whole));
  });
  return el("span", { class: "long-value" }, holder, " ", button);
}

// A value in the step panel: its code, cut short when long, with a button showing it whole (and short again).
function valueCode(text) {
  return expandable(el("code"), valueShort(text, panelChars()), text);
}

function panelChars() {
  const phone = typeof window !== "undefined" && window.matchMedia && window.matchMedia(PHONE).matches;
  return PANEL_VALUE_CHARS[phone ? "phone" : "wide"];
}

// A value too long for the step panel's line as the step's numbers under it write one (`[[-0.049, -0.033, -0.02,
// 0.0019], …]`: a long matrix as its first row, its brackets closed), or where that is still too long, cut at its last
// whole number: a training loop's received 4x4 gradient read `[[…], [0.1796, 0.12321, 0.085477, …`, a second row cut in
// its middle and its brackets left open, and took a line more for its "show all".
export function valueShort(text, max) {
  if (text.length <= max) return text;
  const rows = numbersShort(text, max);
  return rows.length <= max ? rows : shortened(text, max);
}

// A long message's first sentence (PyTorch's "Trying to backward through the graph a second time (…)." of four), or
// the message itself when it is short or one sentence.
const MESSAGE_SHORT_CHARS = 120;
export function firstSentence(message) {
  if (message.length <= MESSAGE_SHORT_CHARS) return message;
  const end = message.search(/\. [A-Z]/); // (a sentence's end: a full stop, a space, a capital)
  return end < 0 ? message : message.slice(0, end + 1);
}

// Where a formula's words begin: why a gradient was not sent, or that an input is a constant (app/explain/node.py).
const FORMULA_WORDS = [" (not sent: ", " (보내지 않음: ", ": not sent", ": 보내지 않음", ": a constant", ": 그래디언트가 필요 없는 상수"];

// A formula split into its parts at its `, ` outside brackets (`∂L/∂X = grad · Wᵀ, ∂L/∂W = Xᵀ · grad`: two; NLLLoss's
// `∂loss/∂x[i, c] = …`: one, as the graph's labels split them, app/render.py) and the words after them.
export function formulaParts(text) {
  const at = Math.min(text.length, ...FORMULA_WORDS.map((words) => text.indexOf(words)).filter((i) => i >= 0));
  const formula = text.slice(0, at);
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < formula.length; i++) {
    if ("([{".includes(formula[i])) depth += 1;
    else if (")]}".includes(formula[i])) depth = Math.max(0, depth - 1);
    else if (depth === 0 && formula.startsWith(", ", i)) {
      parts.push(formula.slice(start, i));
      start = i + 2;
    }
  }
  parts.push(formula.slice(start));
  return { parts: parts.filter(Boolean), words: text.slice(at).replace(/^ /, "") };
}

// A formula as the page sets it: each part in code of its own that a narrow panel wraps between parts, not inside one
// (`∂L/` over `∂model.2.weightᵀ = …`), and the words set as words, not as code (`(not sent: this input needs no
// gradient)` read as part of the formula, in a monospace Korean).
export function formulaView(text) {
  const { parts, words } = formulaParts(text);
  const box = el("span", { class: "formula-parts" });
  parts.forEach((part, i) => box.append(...(i ? [", "] : []), el("code", { text: part })));
  if (words) box.append(words.startsWith(":") ? "" : " ", el("span", { class: "formula-words", text: words }));
  return box;
}

// The name of the forward tensor a backward node belongs to ("" if none).
export function tensorOf(index, node) {
  const tensor = node && node.tensor ? index.forward.get(node.tensor) : null;
  return tensor ? nameOf(index, tensor) : "";
}

// A node's title: `PowBackward0 (y)`; `MulBackward1 (x² · 3)` for a node with no tensor of the snippet's (`expr`).
export function nodeTitle(index, node) {
  const tensor = tensorOf(index, node) || node.expr;
  return tensor ? `${node.name} (${tensor})` : node.name;
}

// The backward nodes a backward pass made (create_graph=True), not the forward code: each -> the tensor that pass
// computed with them (`g` of `g, = torch.autograd.grad(y, x, create_graph=True)`). They are found from each tensor no
// forward op made that has a backward node (a gradient), down the backward graph to the nodes the forward code's
// backward runs and the leaves' AccumulateGrad. Backward through them differentiates a gradient: higher-order gradients.
const madeByBackward = new WeakMap(); // index -> its map
export function builtByBackward(index) {
  if (madeByBackward.has(index)) return madeByBackward.get(index);
  const built = new Map();
  madeByBackward.set(index, built);
  const run = index.run;
  // (a run that recorded only some passes, or stopped recording, meets tensors an unrecorded op made: not gradients)
  if (!(run.backward_calls || []).length || Number.isInteger(run.recorded_passes) || run.recording_paused || run.recording_stopped) return built;
  const forwardMade = new Set(); // backward nodes of tensors a forward op made
  const gradients = [];
  for (const node of index.forward.values()) {
    if (node.kind !== "tensor" || !node.grad_fn) continue;
    // (a torch.func transform's result, `vmap(f)(x)`, is made by the forward code too: no gradient)
    if (index.producer.get(node.id) || node.is_leaf || (node.forward_line !== null && node.forward_line !== undefined) || madeByTransform(index, node)) forwardMade.add(node.grad_fn);
    else gradients.push(node);
  }
  const next = new Map();
  for (const edge of run.backward.edges) (next.get(edge.source) || next.set(edge.source, []).get(edge.source)).push(edge.target);
  const reach = (starts, stop) => {
    const seen = new Set();
    const queue = [...starts];
    for (let i = 0; i < queue.length; i += 1) {
      const id = queue[i];
      if (seen.has(id) || stop(id)) continue;
      seen.add(id);
      queue.push(...(next.get(id) || []));
    }
    return seen;
  };
  // what the forward code's backward runs (F.linear's TBackward0 of its weight too), short of the gradients' own
  // nodes (a penalty on g reaches g's graph through them); then what a gradient's graph holds besides
  const roots = new Set(gradients.map((g) => g.grad_fn));
  const forwardRan = reach(forwardMade, (id) => roots.has(id));
  for (const gradient of gradients) {
    const own = reach([gradient.grad_fn], (id) => built.has(id) || forwardRan.has(id) || (index.backward.get(id) || {}).name === "AccumulateGrad");
    for (const id of own) built.set(id, gradient);
  }
  return built;
}

// What a backward node made by a backward pass is, in words, or null for one the forward code made.
export function builtByBackwardText(index, node) {
  const gradient = builtByBackward(index).get(node.id);
  return gradient ? t("made_by_backward_node", { name: nameOf(index, gradient) }) : null;
}

// A node of an autograd.Function written in Python is named `<Function>Backward` (PyTorch's formulas end in a
// digit): its backward is code, with no formula to check it against: the snippet's own, or PyTorch's
// (torch.utils.checkpoint), as the node's words say (app/explain/rules/special.py, `user_function_rule`).
const TORCH_FUNCTION = "PyTorch's own autograd.Function";
function functionCode(explain) {
  if (!/^\w+Backward$/.test(explain.rule || "")) return null;
  return (explain.words?.en || "").includes(TORCH_FUNCTION) ? "check_torch_code" : "check_own";
}

// A node no backward pass ran (none raised in it either): the inspector says so once, at its top (inspector.js,
// `notes`).
export function unrun(node) {
  return !Number.isInteger(node.order) && !Number.isInteger(node.raised_in_pass);
}

// A rule's words, in the page's language. Of a node no pass ran, without the last sentence the server adds on what it
// could not check and why ("Not checked: no backward pass ran this node…"): the inspector's note at the top says
// the node never ran, and that there was nothing to check, once.
// (found by indexOf: a pattern that skipped spaces first read a long run of them in quadratic time)
const UNCHECKED = ["Not checked: ", "검사하지 못했습니다: "];
export function wordsOf(node, ran = node) {
  const words = say(ran.explain && ran.explain.words);
  if (ran !== node || !unrun(node)) return words;
  const at = Math.min(...UNCHECKED.map((mark) => words.indexOf(mark)).filter((i) => i >= 0));
  return at === Infinity ? words : words.slice(0, at).trimEnd();
}

// A chain rule's numbers (`[[-8.1], [-16.3]] · [[0.1, 0.2, 0.3]] = [[-0.81, -1.62, -2.43], [-1.63, -3.26, -4.89]]`), a
// short matrix kept whole on one line, else each short row of it, and an operator on the line of the value after it: a
// narrow column broke them between any two entries, `[-1.63, -3.26,` then `-4.89]]` read as two rows, a line ending
// in `=` put the result's first row on a line of its own, and `[[-8.1],` then `[-16.3]]` split a 2×1 matrix a line
// could hold. (The words copied keep their plain spaces.)
const ROW_KEPT_CHARS = 24; // (a phone's panel holds some 35 characters of code)
// (a row, and the operator and brackets that open it: every operator the server's numbers write, `/` and `→` too)
const ROW = /(?:[=·⊙⊗×/+→-] \[*)?\[[^[\]]*\]/g;
const ROW_OPENING = /^[=·⊙⊗×/+→-] \[*/;
// (a matrix, its rows inside it, and the operator before it)
const MATRIX = /(?:[=·⊙⊗×/+→-] )?\[(?:[^[\]]|\[[^[\]]*\])*\]/g;
const OPERATOR = /^[=·⊙⊗×/+→-] /;
// The text's pieces: [text, true] for each matrix or row kept on one line, [text, false] for what lies between.
export function numbersPieces(text) {
  const pieces = [];
  let at = 0;
  const kept = (found, start) => {
    if (start > at) pieces.push([text.slice(at, start), false]);
    pieces.push([found, true]);
    at = start + found.length;
  };
  for (const matrix of text.matchAll(MATRIX)) {
    if (matrix[0].replace(OPERATOR, "").length <= ROW_KEPT_CHARS) {
      kept(matrix[0], matrix.index);
      continue;
    }
    for (const row of matrix[0].matchAll(ROW)) {
      if (row[0].replace(ROW_OPENING, "").length <= ROW_KEPT_CHARS) kept(row[0], matrix.index + row.index);
    }
  }
  if (at < text.length) pieces.push([text.slice(at), false]);
  return pieces;
}
function numbersFill(code, text) {
  code.replaceChildren();
  for (const [piece, row] of numbersPieces(text)) code.append(row ? el("span", { class: "row", text: piece }) : piece);
  return code;
}

// A chain rule's numbers too long to read at a glance (a training loop's 5×3 · 3×8 product: 1,500 characters, a wall of
// digits that scrolled the step panel by 1,000 px) with each long matrix as its first row's first entries, then `…`:
// the equation's shape stays in view, and the check under it; a button shows the numbers whole (and short again).
const NUMBERS_SHORT_CHARS = 160; // (the 2D example's longest, MmBackward0's, is 84; a small MLP's some 130)
const LIST_KEPT_ENTRIES = 9; // a matrix of 3x3 or fewer entries is kept whole (as the graphs show a small tensor whole)
const ROW_ENTRIES_KEPT = 3;
function shortRow(row) {
  const entries = row.slice(1, -1).split(", ");
  return entries.length > ROW_ENTRIES_KEPT + 1 ? `[${entries.slice(0, ROW_ENTRIES_KEPT).join(", ")}, …]` : row;
}
function shortList(list) {
  if ((list.match(/[^[\],\s]+/g) || []).length <= LIST_KEPT_ENTRIES) return list;
  const rows = list.match(/\[[^[\]]*\]/g) || [];
  if (!rows.length) return list;
  const depth = list.match(/^\[*/)[0].length;
  const open = "[".repeat(depth - 1);
  return `${open}${shortRow(rows[0])}${rows.length > 1 ? ", …" : ""}${"]".repeat(depth - 1)}`;
}
export function numbersShort(text, max = NUMBERS_SHORT_CHARS) {
  if (text.length <= max) return text;
  let out = "";
  let depth = 0;
  let start = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "[") {
      if (depth === 0) start = i;
      depth += 1;
    } else if (text[i] === "]" && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        out += text.slice(at, start) + shortList(text.slice(start, i + 1));
        at = i + 1;
      }
    }
  }
  return out + text.slice(at);
}
export function numbersCode(text) {
  return expandable(el("code"), numbersShort(text), text, numbersFill);
}

// A check's error to two significant digits, all a learner reads of it (its size): `9.9e-08`, not `9.8944e-08`.
export function errorText(value) {
  return Number.isFinite(value) && value !== 0 ? formatNumber(Number(value.toPrecision(2))) : formatNumber(value);
}

export function checkView(check, code = null) {
  if (!check) return el("span", { class: "check unchecked", text: t(code || "check_none") });
  const error = errorText(Number(check.max_abs_err));
  // (the mark on the line of the words it marks: at 1366x768 the 2D example's W line ended `… [-122.1]] ✓`)
  return check.ok
    ? el("span", { class: "check ok", text: `✓\u00a0${t("check_ok", { error })}` })
    : el("span", { class: "check bad", text: `✗\u00a0${t("check_bad", { error })}` });
}

// The sent gradients of a node without a rule (in backward pass `pass`; null: its last): one line per edge, to the
// node (and tensor) it goes to.
function sentView(index, node, pass = null) {
  const list = el("ul", { class: "chain sent" });
  const edges = index.run.backward.edges.filter((e) => e.source === node.id);
  for (const edge of edges.slice(0, STEP_LIST_SHOWN)) {
    const target = index.backward.get(edge.target);
    const name = target ? nodeTitle(index, target) : edge.target;
    const grad = formatSummary(edgeGrad(index.run, edge, pass));
    list.append(el("li", {}, el("span", { class: "to", text: `→ ${name}` }), " ", el("code", { text: grad })));
  }
  if (edges.length > STEP_LIST_SHOWN) list.append(stepListMore(edges.length));
  if (!edges.length) list.append(el("li", { text: t("sends_nothing") }));
  return list;
}

// Which input of its node `slot` is, in words: "(input 1)", "(두 번째 입력)" (a tensor that is two inputs, x * x).
export function whichInput(slot) {
  const ordinal = KOREAN_ORDINALS[slot] ?? `${slot + 1}번째`;
  return t("input_slot", { which: language() === "ko" ? ordinal : slot });
}

// The explanation of a backward node: rule words, local derivative, and per input the chain rule with numbers; of
// its run `ran` (one of `earlier_runs`, or the node itself: its last run).
// The name of an input with no forward tensor, as its formula writes it (`grad_(log_softmax(logits)) = …`), without
// the brackets the formula puts around it after `grad_`: as the node's title names it (`LogSoftmaxBackward0
// (log_softmax(logits))`) and as a tensor of the code is named (`→ y_pred - y_true`); it read `→ (log_softmax(logits))`.
export function sentToName(formula) {
  const name = (formula.match(/^grad_(.+?)(?: = |: )/) || [])[1];
  return name && enclosedWhole(name) ? name.slice(1, -1) : name;
}
function enclosedWhole(text) {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth += 1;
    else if (text[i] === ")" && --depth === 0 && i < text.length - 1) return false; // (`(a) · (b)`: two)
  }
  return true;
}

export function explanationView(index, node, ran = node) {
  const box = el("div", { class: "explanation" });
  const explain = ran.explain;
  if (!explain) {
    const why = ran === node || !node.explain ? "no_rule" : "run_not_explained"; // (an earlier run past the bound)
    box.append(el("p", { class: "words", text: t(why, { name: node.name }) }), sentView(index, node, ran.backward_pass ?? null));
    return box;
  }
  // (⊙ said once where a formula or its numbers use it: the tutorial's vector example met it unexplained)
  const inputs = explain.inputs || [];
  const written = [say(explain.formula), ...inputs.map((input) => `${say(input.formula)} ${input.numbers || ""}`)];
  const elementwise = written.some((text) => text.includes("⊙"));
  box.append(el("p", { class: "words", text: elementwise ? `${wordsOf(node, ran)} ${t("elementwise")}`.trim() : wordsOf(node, ran) }));
  if (say(explain.formula)) box.append(el("p", { class: "formula" }, formulaView(say(explain.formula))));
  const list = el("ul", { class: "chain" });
  const done = ran.order !== null && ran.order !== undefined;
  // (an AccumulateGrad's formula starts with its leaf's name: `x.grad += …`; an input with no forward tensor,
  // `model.weightᵀ` made inside F.linear, is named as its formula names it: `grad_model.weightᵀ = …`)
  const nameTo = (input) => {
    const tensor = input.to ? index.forward.get(input.to) : null;
    return tensor ? nameOf(index, tensor) : sentToName(say(input.formula));
  };
  const named = new Map(); // name -> how many inputs go to it
  for (const name of inputs.map(nameTo)) named.set(name, (named.get(name) || 0) + 1);
  for (const input of inputs.slice(0, STEP_LIST_SHOWN)) {
    const tensor = input.to ? index.forward.get(input.to) : null;
    const item = el("li");
    const to = nameTo(input);
    // a tensor that is two inputs (x * x) is told which one, as AccumulateGrad's sum names them (`MulBackward0 → input 1`)
    const twice = to && named.get(to) > 1;
    const which = twice ? ` ${whichInput(input.slot)}` : "";
    if (to && explain.rule !== "AccumulateGrad") item.append(el("span", { class: "to", text: `→ ${to}${which}` }), " ");
    // an input that needs no gradient because the code cut it off: where and how, as the reason it was sent none
    // (`not sent (this input needs no gradient) (because h.detach() was cut off …)` said it twice, in two brackets)
    const cut = tensor && !tensor.requires_grad && index.producer ? cutUpstream(index, tensor) : null;
    // (or made of values the code took out of a graph: `torch.tensor(x.detach().numpy())`)
    const out = tensor && !tensor.requires_grad && !cut && index.producer && !index.producer.get(tensor.id) ? valuesOutOn(index, tensor.line) : null;
    const formula = say(input.formula);
    if (cut || out) {
      const here = cut && cut.op === index.producer.get(tensor.id); // (else made from what was cut: `a.detach() * 2`)
      // (a frozen weight, `W.requires_grad_(False)`: "W was cut off from the graph by requires_grad=False" was said)
      const key = out || cut.out ? "input_values_out" : cut.frozen ? (here ? "input_frozen" : "input_frozen_above") : here ? "input_cut" : "input_cut_above";
      const because = t(key, { name: nameOf(index, tensor), ...(out || { line: cut.out ? tensor.line ?? "?" : cut.line, how: cut.how }) });
      const needless = t("unsent_needless");
      if (formula.includes(needless)) item.append(formulaView(formula.replace(needless, because)));
      else item.append(formulaView(formula), " ", el("span", { class: "cut-note", text: `(${because})` }));
    } else {
      item.append(formulaView(formula));
    }
    const numbers = input.numbers ? el("div", { class: "numbers" }, numbersCode(input.numbers)) : null;
    if (numbers) item.append(numbers);
    // nothing to check where the node sent nothing (that input needs no gradient) or never ran (its note says so);
    // the check on the line of the numbers it checks (a short screen shows the words under them sooner)
    const grads = Array.isArray(ran.grad_in) ? ran.grad_in : [];
    const sent = !(input.slot < grads.length && grads[input.slot] === null);
    if (input.check || (done && sent)) (numbers || item).append(" ", checkView(input.check, functionCode(explain)));
    list.append(item);
  }
  if (inputs.length > STEP_LIST_SHOWN) list.append(stepListMore(inputs.length));
  if (list.childElementCount) box.append(list);
  return box;
}

// What a leaf reached by several paths has added up at this step.
function accumulationView(index, state, nodeId) {
  const found = state.accumulating.get(nodeId);
  const node = index.backward.get(nodeId);
  if (!found || !node) return null;
  const leaf = tensorOf(index, node) || node.name;
  const parts = found.arrived.map((i) => formatSummary(found.grads.get(i)));
  const sum = found.sum === null ? "…" : formatSummary({ shape: [], dtype: "", data: found.sum, truncated: false });
  const key = found.done ? "accumulated" : "accumulating";
  const text = t(key, { leaf, n: found.arrived.length, total: found.paths.length });
  // (a negative term after a plus in parentheses: `-16 + (-3.2)`)
  const terms = parts.map((part, i) => (i > 0 && part.startsWith("-") ? `(${part})` : part));
  const sumText = parts.length > 1 ? `${terms.join(" + ")} = ${sum}` : parts[0] || "";
  return el("p", { class: "accumulation" }, text, " ", el("code", { text: sumText }));
}

// What started backward pass `pass` (1 first), in words: a torch.autograd.grad() call returns its gradients and
// changes no .grad; the first backward() call adds them to the leaves' .grad, a later one adds to what is there:
// to gradients an earlier pass left (`added_to_grads`: they accumulate), or to a .grad zero_grad() emptied. (Runs
// stored before `backward_calls` say nothing of it: every pass was a backward() call.)
export function passText(run, pass) {
  const calls = run.backward_calls || [];
  if (calls[pass - 1] === "grad") return t("step_pass_grad", { pass }) + stopsText(run, pass) + gapText(run, pass);
  const earlier = calls.length ? calls.slice(0, pass - 1).includes("backward") : pass > 1;
  // (`backward(inputs=[w])`: the other leaves' .grad stay as they were)
  const chosen = (run.backward_inputs_given || [])[pass - 1] ? ` ${t("step_pass_inputs")}` : "";
  if (!earlier) return t("step_pass_first", { pass }) + chosen + stopsText(run, pass) + gapText(run, pass);
  const added = (run.added_to_grads || [])[pass - 1];
  const fresh = added === false ? newLeaves(run, pass) : null;
  if (fresh) return t("step_pass_new_leaves", { pass, leaves: fresh.join(", ") }) + chosen + stopsText(run, pass) + gapText(run, pass);
  const key = added === true ? "step_pass_added" : added === false ? "step_pass_fresh" : "step_pass";
  return t(key, { pass, leaf: leafOfPass(run, pass) }) + chosen + stopsText(run, pass) + gapText(run, pass);
}

// The names of the leaves pass `pass` adds to when no earlier pass added to any of them (`x` made after `w`'s training
// loop, then x's own backward()): their .grad was never set, not emptied, as the pass's words said it was. Null when
// one of them an earlier pass reached (by its name, or its tensor), or one has no name to tell it by.
function newLeaves(run, pass) {
  const tensors = new Map((run.forward?.nodes || []).map((n) => [n.id, n]));
  const passesOf = (node) => [node.backward_pass ?? 1, ...(node.earlier_runs || []).map((r) => r.backward_pass)];
  const leaves = (run.backward?.nodes || []).filter((n) => n.name === "AccumulateGrad" && n.tensor);
  const earlier = new Set();
  for (const node of leaves) {
    if (!passesOf(node).some((p) => p < pass)) continue;
    earlier.add(node.tensor);
    const name = tensors.get(node.tensor)?.var;
    if (name) earlier.add(`var ${name}`);
  }
  const names = [];
  for (const node of leaves) {
    if (!passesOf(node).includes(pass)) continue;
    const name = tensors.get(node.tensor)?.var;
    if (!name || earlier.has(node.tensor) || earlier.has(`var ${name}`)) return null;
    if (!names.includes(name)) names.push(name);
  }
  return names.length ? names : null;
}

// What step 0 adds when the walk has one backward pass and no step of its own for it: that its backward() call was
// given inputs= (`loss.backward(inputs=[w])`: b.grad stays None, and the walk is where a learner looks for why). A walk
// of several passes says so at each pass's step (passText); a grad() call always names its inputs.
export function startInputsText(run, steps) {
  if (!steps.length || steps.some((step) => step.kind === "pass")) return "";
  const pass = steps[0].pass ?? 1;
  if ((run.backward_calls || [])[pass - 1] === "grad") return "";
  return (run.backward_inputs_given || [])[pass - 1] ? t("step_zero_inputs") : "";
}

// The snippet's name of a leaf whose .grad pass `pass` adds to, to write `w.grad = None` with (a placeholder `x` read
// as the snippet's own x, a tensor that needs no gradient in a training loop's `y_pred = x @ w + b`); "tensor" when
// no leaf of that pass has a name.
function leafOfPass(run, pass) {
  const tensors = new Map((run.forward?.nodes || []).map((n) => [n.id, n]));
  for (const node of run.backward?.nodes || []) {
    if (node.name !== "AccumulateGrad" || !node.tensor) continue;
    const passes = [node.backward_pass ?? 1, ...(node.earlier_runs || []).map((r) => r.backward_pass)];
    const name = tensors.get(node.tensor)?.var;
    if (name && passes.includes(pass)) return name;
  }
  return "tensor";
}

// A pass that raised: said at its start, where it goes on to add to .grad.
function stopsText(run, pass) {
  const stopped = (run.backward?.nodes || []).find((n) => n.raised_in_pass === pass);
  return stopped ? ` ${t("step_pass_stops", { node: stopped.name })}` : "";
}

// In a run whose recording paused (`recorded_passes`), the passes not shown right after pass `pass`: run unrecorded,
// or recorded and folded into a group of repeats (the 2nd to 98th of a training loop: they were said to have run
// unrecorded). The passes shown are read from the nodes, never counted up to one by one (a forged count froze the
// tab). The unrecorded passes are one run of passes, ended by the pass the recording resumed with: the gap that holds
// them ends with them; when more than one gap could, the gap's passes are said to be one or the other.
function gapText(run, pass) {
  if (!Number.isInteger(run.recorded_passes) || !run.backward) return "";
  const all = Number.isInteger(run.backward_passes) ? run.backward_passes : pass;
  const shown = new Set();
  for (const node of run.backward.nodes) {
    if (Number.isInteger(node.order)) shown.add(node.backward_pass ?? 1);
  }
  const passes = [...shown].filter((p) => p <= all).sort((a, b) => a - b);
  let next = all + 1; // the next pass shown after `pass` (or the end)
  for (const p of passes) {
    if (p > pass && p < next) next = p;
  }
  if (next <= pass + 1) return "";
  const [from, to] = [pass + 1, next - 1];
  const unrecorded = all - run.recorded_passes;
  const folded = run.recorded_passes - passes.length;
  if (folded <= 0) return ` ${t("step_pass_gap", { from, to })}`;
  if (unrecorded <= 0) return ` ${t("step_pass_folded", { from, to })}`;
  // the gaps between the passes shown that could hold every unrecorded pass
  const ends = [...passes, all + 1];
  const holders = ends.filter((p, i) => p - (i ? ends[i - 1] : 0) - 1 >= unrecorded);
  if (holders.length !== 1) return ` ${t("step_pass_hidden", { from, to })}`;
  if (holders[0] !== next) return ` ${t("step_pass_folded", { from, to })}`;
  const first = next - unrecorded; // (the first pass that ran unrecorded)
  if (first === from) return ` ${t("step_pass_gap", { from, to })}`;
  return ` ${t("step_pass_folded", { from, to: first - 1 })} ${t("step_pass_gap_then", { from: first, to })}`;
}

// What the step panel says before the first step: how to step, or why there are no steps.
export function introText(run, steps) {
  if (steps.length) return t("step_intro");
  // every pass ran after the recording stopped (or paused), unrecorded, and the code ended well (status `limit`: the
  // recording's limit is the run's error; `ok` after a loop's pause)
  const stop = run.recording_stopped || run.recording_paused;
  if (run.backward_passes && run.recorded_passes === 0 && stop && run.status !== "error") {
    return t("step_none_unrecorded", { line: stop.line ?? "?" });
  }
  if (run.backward_passes) return t("step_none_error");
  const line = stoppedBeforeBackward(run);
  return line === null ? t("step_none") : t("step_none_stopped", { line });
}

// The step panel's body at a step (`k` of `count`; null: not stepping).
export function stepView(index, steps, k, state, onLine = null) {
  const box = el("div");
  if (k === null) {
    box.append(
      el("h3", { text: t("step_intro_title") }),
      el("p", { text: introText(index.run, steps) }),
      el(
        "details",
        { class: "how" },
        el("summary", { text: t("how_title") }),
        el("ul", {}, ...["how_node", "how_order", "how_edge", "how_formula"].map((key) => el("li", { text: t(key) }))),
      ),
    );
    return box;
  }
  const count = steps.length;
  if (k === 0) {
    const roots = steps.filter((s) => s.kind === "node").slice(0, 1).map((s) => index.backward.get(s.id));
    const root = roots[0];
    box.append(el("h3", { text: t("step_zero_title", { n: count }) }));
    if (root) {
      const start = root.grad_out && root.grad_out.length ? formatSummary(root.grad_out[0]) : "1";
      const inputs = startInputsText(index.run, steps);
      box.append(el("p", { text: t("step_zero", { node: nodeTitle(index, root) }) }, " ", valueCode(`grad = ${start}`)));
      if (inputs) box.append(el("p", { class: "step-inputs", text: inputs }));
    }
    return box;
  }
  const step = state.step;
  if (step.kind === "pass") {
    const passes = Math.max(index.run.backward_passes || 1, step.pass); // (how many: a learner's loop ran 20)
    box.append(el("h3", { text: t("step_pass_title", { k, n: count, pass: step.pass, passes }) }), el("p", { text: passText(index.run, step.pass) }));
    return box;
  }
  const node = index.backward.get(step.id);
  if (step.kind === "raised") return stoppedView(box, index, state, node, k, count, onLine);
  const ran = runIn(node, step.pass) || node; // (this pass's run: a leaf's AccumulateGrad runs in every pass)
  // the node's #n in its pass, as the backward graph labels it (with several passes, which pass)
  const passes = Math.max(index.run.backward_passes || 1, step.pass || 1);
  const order = t(passes > 1 ? "step_order_pass" : "step_order", { n: ran.order + 1, pass: step.pass, passes });
  box.append(el("h3", {}, el("span", { class: "step-number", text: t("step_of", { k, n: count }) }), " ", el("span", { class: "step-order", text: order }), " ", el("span", { class: "step-node", text: nodeTitle(index, node) })));
  const received = (ran.grad_out || []).map(formatSummary);
  if (received.length) {
    // (no arrow brought it: the pass's first node, or one after a folded group, whose arrows are inside the group)
    const first = steps.find((s) => s.kind === "node" && s.pass === step.pass) === step;
    const starts = !state.arriving.length && first;
    const from = starts ? t("received_start") : t("received_from_edges");
    const why = starts ? startText(index, node, ran, step.pass) : "";
    const added = starts ? null : arrivedSum(index.run, state, ran);
    const value = `grad = ${added && added.text ? added.text : received.join(", ")}`;
    const note = why ? el("span", { class: "start-why", text: why }) : added ? el("span", { class: "arrived-sum", text: t("received_sum", { n: added.n }) }) : null;
    box.append(el("p", { class: "received" }, `${from} `, valueCode(value), ...(note ? [" ", note] : [])));
    if (ran.seed && state.arriving.length) {
      const given = ran.seed.map((seed) => (seed ? formatSummary(seed) : "0"));
      box.append(el("p", { class: "seed" }, `${t("received_seed")} `, valueCode(`grad = ${given.join(", ")}`), t("received_seed_sum")));
    }
    const hooked = hookedView(index.run, state, ran);
    if (hooked) box.append(hooked);
  }
  // a folded group sends to it: its nodes ran before this step, unseen (the steps go over them)
  for (const group of foldedSenders(index, node.id, step.pass)) {
    box.append(el("p", { class: "folded-before", text: t("step_after_group", { group: group.label, n: group.members.length }) }));
  }
  // the step's own numbers first, in the few lines a short screen shows; the words on how such a node works after
  const view = explanationView(index, node, ran);
  const words = view.querySelector(":scope > .words");
  // (not the words that lead into a node's bare list of what it sent: "… What it sent along each arrow:" came last)
  if (words && view.querySelector(":scope > .chain:not(.sent)")) view.append(words);
  box.append(view);
  // what arrived and the node's local derivative side by side where they fit: a line more of the step's own numbers
  // and words in the panel (at 1366x768 the words scrolled out of it, in projector mode at nearly every step)
  const arrived = box.querySelector(":scope > .received");
  const formula = view.querySelector(":scope > .formula");
  if (arrived && formula && arrived.nextElementSibling === view && view.firstElementChild === formula) {
    const head = el("div", { class: "step-head" });
    arrived.replaceWith(head);
    head.append(arrived, formula);
  }
  const inside = insideOf(index, node);
  if (inside) {
    const key = inside.line ? "step_inside" : "step_inside_no_line";
    box.append(el("p", { class: "inside", text: t(key, { op: inside.op, line: inside.line }) }));
  }
  const built = builtByBackwardText(index, node);
  if (built) box.append(el("p", { class: "by-backward", text: built }));
  const here = accumulationView(index, state, node.id);
  if (here) box.append(here);
  // each leaf this step sends to, once (`x * x` sends to x's AccumulateGrad along two edges)
  const targets = new Set(state.outgoing.map((i) => index.run.backward.edges[i].target));
  for (const target of targets) {
    if (target !== node.id) {
      const there = accumulationView(index, state, target);
      if (there) box.append(there);
    }
  }
  return box;
}

// The forward op a backward node with no tensor of its own was made inside (inspector.js's insideOps), or null.
export function insideOf(index, node) {
  if (!node || node.tensor) return null;
  const op = (index.toForward.get(node.id) || []).map((id) => index.forward.get(id)).find((f) => f && f.kind === "op");
  return op || null;
}

// Where the gradient a pass starts from comes from, after it: `y.backward()` on a single number starts from ∂y/∂y = 1;
// a tensor of several entries from the gradient the code gave the call (the tutorial's vector example,
// `y.backward(gradient)`), as does any other start. Its first step said only "Backward starts here with grad = 1".
// `∂y/∂y`, with a name that is not a plain one bracketed as the formulas bracket it after ∂ (app/explain/node.py's
// bracketed_once): `∂(C.sum())/∂(C.sum())`, where the step's first words said `∂C.sum()/∂C.sum()` under a formula
// `∂(C.sum())/∂Cᵢ = 1`.
const PLAIN_NAME = /^[\p{L}\p{N}_.[\]']+′?$/u; // (app/explain/rule.py's PLAIN_NAME)
export function selfDerivative(name) {
  const part = PLAIN_NAME.test(name) ? name : `(${name})`;
  return `∂${part}/∂${part}`;
}

export function startText(index, node, ran, pass) {
  const seed = (ran.seed || [])[0];
  if (!seed || (ran.seed || []).length !== 1 || seed.truncated || seed.data === null || seed.data === undefined) return "";
  const values = [seed.data].flat(Infinity);
  const grad = (index.run.backward_calls || [])[pass - 1] === "grad";
  const name = tensorOf(index, node);
  if (values.length === 1 && values[0] === 1 && name) return t(grad ? "start_one_outputs" : "start_one", { d: selfDerivative(name) });
  if (values.length > 1 && name) return t(grad ? "start_outputs_entries" : "start_given_entries", { name, n: values.length });
  return t(grad ? "start_outputs" : "start_given");
}

// A node that took in something else than what its one arrow brought: a hook of the snippet's (register_hook on its
// tensor, or on the node) changed the gradient before the node ran. Said with both values (null: nothing changed, or
// it cannot be told: several arrows, a seed, values cut short).
function hookedView(run, state, ran) {
  if (state.arriving.length !== 1 || ran.seed || (ran.grad_out || []).length !== 1) return null;
  const arrived = edgeGrad(run, run.backward.edges[state.arriving[0]], state.step.pass);
  const received = ran.grad_out[0];
  if (!arrived || !received || arrived.truncated || received.truncated) return null;
  if (JSON.stringify(arrived.data) === JSON.stringify(received.data)) return null;
  return el(
    "p",
    { class: "hooked" },
    t("hook_changed_before"),
    " ",
    valueCode(formatSummary(arrived)),
    t("hook_changed_middle"),
    " ",
    valueCode(formatSummary(received)),
    t("hook_changed_after"),
  );
}

// Several arrows brought a node its one gradient (`h * h` sends h's node [3, 6] along each of its two arrows): PyTorch
// adds what they brought before the node runs, and the step said only "Received grad = [6, 12]". {n, text}: how many
// arrows, and their sum with the run's numbers (`[3, 6] + [3, 6] = [6, 12]`; "" where it is too long for the panel's
// line or cannot be written: values cut short, or a hook changed the sum); null with one arrow or a seed.
function arrivedSum(run, state, ran) {
  if (state.arriving.length < 2 || ran.seed || (ran.grad_out || []).length !== 1) return null;
  const arrived = state.arriving.map((i) => edgeGrad(run, run.backward.edges[i], state.step.pass));
  if (arrived.some((grad) => !grad)) return null;
  const text = sumText(arrived, ran.grad_out[0]);
  // (whole values that do not add up: a hook changed the sum, and no sum is written)
  if (!text) return [...arrived, ran.grad_out[0]].every(wholeValues) ? null : { n: arrived.length, text: "" };
  return { n: arrived.length, text: `grad = ${text}`.length <= panelChars() ? text : "" };
}

// The folded groups with an arrow into backward node `id`, once each, that send to it in backward pass `pass`: those
// whose nodes ran in it (a training loop's pass 1 said the gradient a leaf got came from the group of passes 2 to 99;
// a view made before groups had `passes`: any).
export function foldedSenders(index, id, pass) {
  const groups = new Set();
  for (const edge of index.run.backward.edges) {
    const source = edge.target === id ? index.backward.get(edge.source) : null;
    if (!source || source.kind !== "group") continue;
    if (pass === null || pass === undefined || !Array.isArray(source.passes) || source.passes.includes(pass)) groups.add(source);
  }
  return groups;
}

// The step where a backward pass raised: the node it stopped in, what had reached it, and the exception (the run's
// error, with its hint, when nothing ran after it; else the code caught it and went on).
function stoppedView(box, index, state, node, k, count, onLine) {
  const run = index.run;
  box.classList.add("stopped");
  box.append(el("h3", {}, el("span", { class: "step-number", text: t("step_of", { k, n: count }) }), " ", el("span", { class: "step-node", text: nodeTitle(index, node) })));
  const arrived = state.arriving.map((i) => edgeGrad(run, run.backward.edges[i], state.step.pass)).filter(Boolean);
  if (arrived.length) {
    box.append(el("p", { class: "received" }, `${t("received_from_edges")} `, valueCode(`grad = ${arrived.map(formatSummary).join(" + ")}`)));
  }
  box.append(el("p", { class: "stopped-here", text: t("step_stopped", { pass: state.step.pass }) }));
  const error = run.error;
  if (error && error.backward_pass === state.step.pass) {
    // (its first sentence, the rest on demand: the error's box by the code has it whole, and the hint under it says
    // the rest in plain words; whole, PyTorch's four sentences scrolled a second backward()'s step by 90 px at 1366x768)
    const message = `${error.type}: ${error.message}`;
    box.append(el("p", { class: "stopped-error" }, expandable(el("span"), firstSentence(message), message)));
    // (the graph shows what the node saved as it was before an earlier pass freed it)
    if ((node.saved || []).length && /saved tensors after they have already been freed/.test(error.message)) {
      box.append(el("p", { text: t("step_stopped_freed") }));
    }
    if (error.hint) box.append(el("p", { class: "hint" }, withCode(say(error.hint), onLine)));
  } else {
    box.append(el("p", { text: t("step_stopped_caught") }));
  }
  return box;
}
