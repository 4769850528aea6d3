// What the page shows of a run's text: every string of a run but its code loses the bidirectional embeddings,
// overrides and isolates, as the server's DOT does (app/render.py), wherever it sits in the run, and is cut past
// SHOWN_CHARS characters.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SHOWN_CHARS, shownText } from "../../static/js/shown.js";

const CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];

test("every string of a run but its code loses the characters that reorder what follows them", () => {
  for (const control of CONTROLS) {
    const run = {
      code: `x = 1  # ${control}`,
      stdout: `printed${control} text`,
      error: { type: `Err${control}`, message: `said${control}`, line: 3 },
      forward: { nodes: [{ id: "t0", var: `w${control}gnp.txe`, aliases: [`a${control}`], value: { data: [1, "nan"] } }] },
      backward: { nodes: [{ explain: { words: { en: `x${control}`, ko: "말" }, inputs: [{ formula: { en: `∂${control}` } }] } }] },
    };
    shownText(run);
    assert.equal(run.code, `x = 1  # ${control}`, "the code is the editor's to show");
    assert.equal(run.stdout, "printed  text");
    assert.deepEqual(run.error, { type: "Err ", message: "said ", line: 3 });
    assert.equal(run.forward.nodes[0].var, "w gnp.txe");
    assert.deepEqual(run.forward.nodes[0].aliases, ["a "]);
    assert.deepEqual(run.forward.nodes[0].value.data, [1, "nan"]);
    assert.equal(run.backward.nodes[0].explain.words.en, "x ");
    assert.equal(run.backward.nodes[0].explain.inputs[0].formula.en, "∂ ");
  }
});

test("text without them is left as it is, right-to-left script and marks included", () => {
  const run = { stdout: "שלום \u200f مرحبا 안녕", error: null, forward: { nodes: [] } };
  shownText(run);
  assert.deepEqual(run, { stdout: "שלום \u200f مرحبا 안녕", error: null, forward: { nodes: [] } });
});

test("a run nested deeper than a recursion would go is walked", () => {
  let deep = { text: "end\u202e" };
  const top = deep;
  for (let i = 0; i < 200000; i++) deep = deep.next = { text: "\u2067" };
  shownText({ code: "", stdout: "", chain: top });
  assert.equal(top.text, "end ");
  assert.equal(deep.text, " ");
});

test("a string longer than the page shows is cut and says how much more there was, the code never", () => {
  const long = "가".repeat(SHOWN_CHARS + 5);
  const run = { code: long, stdout: "short", backward: { nodes: [{ explain: { words: { en: long, ko: `\u202e${long}` } } }] } };
  shownText(run);
  assert.equal(run.code, long);
  assert.equal(run.stdout, "short");
  const { en, ko } = run.backward.nodes[0].explain.words;
  assert.equal(en, `${"가".repeat(SHOWN_CHARS)}… (+5)`);
  assert.equal(ko, ` ${"가".repeat(SHOWN_CHARS - 1)}… (+6)`);
  const exact = { code: "", stdout: "x".repeat(SHOWN_CHARS) };
  assert.equal(shownText(exact).stdout.length, SHOWN_CHARS);
  // a character of two UTF-16 units across the cut is left out whole, not halved
  const emoji = { code: "", stdout: `${"x".repeat(SHOWN_CHARS - 1)}${"😀".repeat(3)}` };
  assert.equal(shownText(emoji).stdout, `${"x".repeat(SHOWN_CHARS - 1)}… (+6)`);
});
