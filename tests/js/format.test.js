// The inspector writes numbers as the server's labels do: the examples in tests/numbers.json, which
// tests/test_render.py checks against app/render.py's format_number.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { errorText, formulaParts, numbersPieces, numbersShort, sentToName, valueShort } from "../../static/js/explain.js";
import { formatNumber, shortened, sumText } from "../../static/js/format.js";

const EXAMPLES = JSON.parse(readFileSync(new URL("../numbers.json", import.meta.url), "utf8"));

test("every number reads as the server's labels write it", () => {
  for (const [value, text] of EXAMPLES) assert.equal(formatNumber(value), text, `formatNumber(${value})`);
});

test("a long line of values is cut at its last whole number within the limit, a short one kept", () => {
  assert.equal(shortened("grad = [1, 2]", 20), "grad = [1, 2]");
  const long = `grad = [${Array.from({ length: 40 }, (_, i) => `-0.01${i}`).join(", ")}]`;
  const short = shortened(long, 40);
  assert.ok(short.length <= 43, short);
  assert.equal(short, "grad = [-0.010, -0.011, -0.012, -0.013, …");
  assert.equal(shortened("x".repeat(50), 10), `${"x".repeat(10)}, …`);
});

test("a formula's parts split at its top-level commas, its words after them", () => {
  assert.deepEqual(formulaParts("∂L/∂X = grad · Wᵀ, ∂L/∂W = Xᵀ · grad"), { parts: ["∂L/∂X = grad · Wᵀ", "∂L/∂W = Xᵀ · grad"], words: "" });
  assert.deepEqual(formulaParts("∂loss/∂x[i, c] = -grad/N"), { parts: ["∂loss/∂x[i, c] = -grad/N"], words: "" });
  assert.deepEqual(formulaParts("grad_a = Σⱼ gradᵢⱼ · u/d, u = aᵢ - bⱼ, d = dᵢⱼ").parts, ["grad_a = Σⱼ gradᵢⱼ · u/d", "u = aᵢ - bⱼ", "d = dᵢⱼ"]);
  assert.deepEqual(formulaParts("grad_y = -grad (not sent: this input needs no gradient)"), { parts: ["grad_y = -grad"], words: "(not sent: this input needs no gradient)" });
  assert.deepEqual(formulaParts("grad_y = -grad (보내지 않음: 이 입력은 그래디언트가 필요 없습니다)").words, "(보내지 않음: 이 입력은 그래디언트가 필요 없습니다)");
  assert.deepEqual(formulaParts("grad_(y + z): 보내지 않음(이 입력은 그래디언트가 필요 없습니다)"), { parts: ["grad_(y + z)"], words: ": 보내지 않음(이 입력은 그래디언트가 필요 없습니다)" });
  assert.deepEqual(formulaParts("2: a constant (a number the code wrote), so no gradient goes to it").parts, ["2"]);
});

test("a check's error is said to two significant digits, its size, not float noise", () => {
  // (the 2D example's MmBackward0 checks: 9.8944e-08 and 1.9073e-06 took a line of their own in the step panel)
  assert.equal(errorText(9.894371e-8), "9.9e-08");
  assert.equal(errorText(1.9073486328125e-6), "1.9e-06");
  assert.equal(errorText(0.000123456), "0.00012");
  assert.equal(errorText(0), "0");
  assert.equal(errorText(3), "3");
  assert.equal(errorText(Number.NaN), "NaN");
});

test("a step's numbers keep each short row whole, with the operator before it, a division and an arrow too", () => {
  const rows = (text) => numbersPieces(text).filter(([, row]) => row).map(([piece]) => piece);
  assert.deepEqual(rows("[[-8.1], [-16.3]] · [[0.1, 0.2, 0.3]] = [[-0.81, -1.62, -2.43]]"), ["[[-8.1], [-16.3]]", "· [[0.1, 0.2, 0.3]]", "= [[-0.81, -1.62, -2.43]]"]);
  // a short matrix whole (the 2D example's W.grad step split its grad `[[-8.1],` from `[-16.3]]`), a long one by rows
  assert.deepEqual(rows("[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]"), [
    "[[1, 4], [2, 5], [3, 6]]",
    "· [[-8.1], [-16.3]]",
    "= [[-73.3]",
    "[-97.7]",
    "[-122.1]",
  ]);
  assert.deepEqual(rows("[[-0.81, -1.62, -2.43], [-1.63, -3.26, -4.89]]"), ["[-0.81, -1.62, -2.43]", "[-1.63, -3.26, -4.89]"]);
  // (segment_reduce's mean: `/` then its lengths ended a line, the row on the next)
  assert.deepEqual(rows("repeat_interleave([1, 0, 3], lengths) / [2, 2, 1] = [0.5, 0.5, 3]"), ["[1, 0, 3]", "/ [2, 2, 1]", "= [0.5, 0.5, 3]"]);
  assert.deepEqual(rows("1 → [1, 1, 1]"), ["→ [1, 1, 1]"]);
  assert.deepEqual(rows("[1, 2] ⊗ [3, 4]"), ["[1, 2]", "⊗ [3, 4]"]);
  const long = `[${Array.from({ length: 12 }, (_, i) => i + 0.5).join(", ")}]`; // (too long for a line: it wraps)
  assert.deepEqual(numbersPieces(`grad = ${long}`), [[`grad = ${long}`, false]]);
});

test("a step's long numbers show each long matrix as its first row's first entries, short ones whole", () => {
  // (the 2D example's longest numbers, and a small MLP's, are read whole)
  const tutorial = "[[-8.1], [-16.3]] · [[0.1, 0.2, 0.3]] = [[-0.81, -1.62, -2.43], [-1.63, -3.26, -4.89]]";
  assert.equal(numbersShort(tutorial), tutorial);
  // a 5x3 · 3x8 product (a training loop's last Linear): the equation's shape, the operators and the first entries
  const matrix = (rows, cols, at) => `[${Array.from({ length: rows }, (_, r) => `[${Array.from({ length: cols }, (_, c) => (at + r * cols + c) / 1000 - 0.5).join(", ")}]`).join(", ")}]`;
  const long = `${matrix(5, 3, 1)} · ${matrix(3, 8, 100)} = ${matrix(5, 8, 200)}`;
  assert.ok(long.length > 400);
  assert.equal(numbersShort(long), "[[-0.499, -0.498, -0.497], …] · [[-0.4, -0.399, -0.398, …], …] = [[-0.3, -0.299, -0.298, …], …]");
  // a sum over an axis keeps its `Σ[0]`, a short result list whole
  const summed = `Σ[0] ${matrix(9, 3, 1)} = [-0.090964, -0.042014, 0.13298]`;
  assert.equal(numbersShort(summed), "Σ[0] [[-0.499, -0.498, -0.497], …] = [-0.090964, -0.042014, 0.13298]");
  // a small tensor, 3x3 or fewer entries, stays whole in long numbers (an MLP's tanh: two 2x3 matrices and their product)
  const tanh = "[[-0.23213, 0.26512, 0.17244], [-0.078546, 0.089707, 0.058347]] ⊙ (1 - [[0.34989, 0.040248, 0.12619], [-0.019302, -0.02132, -0.32309]]²) = [[-0.20372, 0.26469, 0.16969], [-0.078517, 0.089667, 0.052257]]";
  assert.ok(tanh.length > 160);
  assert.equal(numbersShort(tanh), tanh);
  // a long 1-D list: its first entries
  assert.equal(numbersShort(`2 · ${matrix(1, 40, 1).slice(1, -1)}`), "2 · [-0.499, -0.498, -0.497, …]");
});

test("a long value in the step panel shows a matrix's first row with its brackets closed, not a row cut in its middle", () => {
  // (a training loop's TanhBackward0 received its 4x4 gradient as `[[…4 entries], [0.1796, 0.12321, 0.085477, …`)
  const received = "grad = [[-0.049484, -0.034304, -0.021352, 0.0019187], [0.19821, 0.13741, 0.085526, -0.0076856], [0.13264, 0.091954, 0.057233, -0.0051431], [-0.085921, -0.059564, -0.037074, 0.0033315]]";
  const short = valueShort(received, 90);
  assert.equal(short, "grad = [[-0.049484, -0.034304, -0.021352, 0.0019187], …]");
  assert.equal((short.match(/\[/g) || []).length, (short.match(/\]/g) || []).length);
  assert.equal(valueShort("grad = [[-8.1], [-16.3]]", 90), "grad = [[-8.1], [-16.3]]");
  // a long vector: its first entries
  const vector = `grad = [${Array.from({ length: 30 }, (_, i) => (i / 7).toFixed(4)).join(", ")}]`;
  assert.equal(valueShort(vector, 90), "grad = [0.0000, 0.1429, 0.2857, …]");
  // what a first row cannot make short enough (a phone's 45 characters) is cut at its last whole number
  const wide = `grad = [[${Array.from({ length: 4 }, (_, i) => (i - 0.123456).toFixed(6)).join(", ")}], [1, 2, 3, 4], [5, 6, 7, 8]]`;
  assert.ok(valueShort(wide, 45).length <= 48 && valueShort(wide, 45).endsWith(", …"), valueShort(wide, 45));
});

test("an earlier pass's gradient is cut on a label's line as the server cuts it (app/render.py's label_value)", async () => {
  const { labelSummary } = await import("../../static/js/format.js");
  const summary = (data, extra = {}) => ({ shape: [], dtype: "float32", data, truncated: false, ...extra });
  const weight = [[0.12656, 0.012634, -0.10741], [0.3695, -0.043338, -0.089064], [0.049411, -0.14567, -0.15307], [0, 0, 0]];
  assert.equal(labelSummary(summary(weight), 40), "[[0.12656, 0.012634, -0.10741], [0.3695…");
  assert.equal(labelSummary(summary(weight), 28).length, 28);
  assert.equal(labelSummary(summary([-24.4]), 40), "[-24.4]"); // (what fits stays whole)
  assert.equal(labelSummary(summary([1, 2], { truncated: true, min: -1, max: 2, mean: 0.5 }), 40), "min -1 max 2 mean 0.5");
  assert.equal(labelSummary(null, 40), "None");
});

test("the first step's ∂y/∂y brackets a name as the formulas do after ∂", async () => {
  const { selfDerivative } = await import("../../static/js/explain.js");
  assert.equal(selfDerivative("loss"), "∂loss/∂loss");
  assert.equal(selfDerivative("model.0.weight"), "∂model.0.weight/∂model.0.weight");
  assert.equal(selfDerivative("손실"), "∂손실/∂손실");
  assert.equal(selfDerivative("C.sum()"), "∂(C.sum())/∂(C.sum())"); // (it read ∂C.sum()/∂C.sum())
  assert.equal(selfDerivative("y_pred - y_true"), "∂(y_pred - y_true)/∂(y_pred - y_true)");
});

test("gradients that add up are written as their sum, with their values", () => {
  const v = (data, shape = [2]) => ({ shape, dtype: "float32", data, truncated: false });
  assert.equal(sumText([v([3, 6]), v([3, 6])], v([6, 12])), "[3, 6] + [3, 6] = [6, 12]");
  assert.equal(sumText([v(-1, []), v(-2, [])], v(-3, [])), "-1 + (-2) = -3");
  assert.equal(sumText([v([0.1, 0.2]), v([0.2, 0.1])], v([0.3, 0.3])), "[0.1, 0.2] + [0.2, 0.1] = [0.3, 0.3]");
  assert.equal(sumText([v([3, 6]), v([3, 6])], v([7, 12])), null); // (a hook changed the sum)
  assert.equal(sumText([v([3, 6]), { ...v([3, 6]), truncated: true }], v([6, 12])), null);
  assert.equal(sumText([v([3, 6]), v([[3, 6]], [1, 2])], v([6, 12])), null);
  assert.equal(sumText([v([3, 6])], v([3, 6])), null);
  assert.equal(sumText([v(["nan", 6]), v([3, 6])], v(["nan", 12])), null);
});

test("an input with no forward tensor is named as its node's title names it, without the formula's brackets", () => {
  // (cross entropy's NLL step said `→ (log_softmax(logits))`, its next step's title `LogSoftmaxBackward0 (log_softmax(logits))`)
  assert.equal(sentToName("grad_(log_softmax(logits)) = -grad · onehot(target) / N"), "log_softmax(logits)");
  assert.equal(sentToName("grad_(x[1:]) = grad at [:, 0], 0 elsewhere"), "x[1:]");
  assert.equal(sentToName("grad_model.weightᵀ = inputᵀ · grad"), "model.weightᵀ");
  assert.equal(sentToName("grad_(a) · (b) = grad"), "(a) · (b)"); // (two brackets, not one around the whole)
  assert.equal(sentToName("grad_(torch.arange(5.0)): not sent (this input needs no gradient)"), "torch.arange(5.0)");
  assert.equal(sentToName("3: a constant (a number the code wrote), so no gradient goes to it"), undefined);
});
