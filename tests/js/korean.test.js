// The Korean a Korean teacher writes, with the tutorial's terms (docs/glossary.md): 그래디언트 (never 기울기),
// no "1번째 줄", no "캡처", "출력" only for what the snippet printed, and no English "X: Y" sentences.
import assert from "node:assert/strict";
import { test } from "node:test";

import { STRINGS } from "../../static/js/i18n.js";

const KO = STRINGS.ko;

test("Korean strings use the tutorial's terms", () => {
  for (const [key, text] of Object.entries(KO)) {
    assert.ok(!text.includes("기울기"), `${key}: 그래디언트, not 기울기`);
    assert.ok(!/\d\s*번째|\{\w+\}번째/.test(text), `${key}: no "n번째"`);
    assert.ok(!text.includes("캡처"), `${key}: no 캡처`);
  }
  const printed = Object.entries(KO).filter(([, text]) => text.includes("출력")).map(([key]) => key);
  assert.deepEqual(printed.sort(), ["limit_OutputLimit", "no_output", "output"]);
});

test("Korean sentences are not English 'X: Y' shapes", () => {
  // a colon may follow a label in the legend or a title (`점선: …`), not open a sentence's second half
  const sentences = ["note_leaf", "note_nonleaf", "note_nonleaf_no_grad", "note_no_grad", "note_detach", "note_constant", "note_version", "empty_backward_no_grad", "banner_no_backward", "step_intro", "how_node", "how_formula", "note_not_run_no_backward", "grad_none_cut", "grad_none_no_gradient", "grad_none_not_run", "grad_none_unused", "grad_none_elsewhere", "grad_none_unreached", "grad_none_values_out", "grad_none_late", "grad_none_integer", "warn_copy_grad", "warn_rebound_grad", "note_grad_emptied", "note_cut_here", "note_frozen_here", "note_unreached_frozen", "note_made_from_values_out", "note_unreached_values_out", "note_unreached_values_out_made", "note_made_from_frozen", "input_frozen", "input_frozen_above"];
  for (const key of sentences) assert.ok(!/[가-힣A-Za-z)]: /.test(KO[key]), `${key}: ${KO[key]}`);
});

test("a Korean sentence says its value, not 'is: value'", () => {
  // (a step with a hook read "…계산에 쓴 값은 다음과 같습니다: [60, 120]", an English "is: [60, 120]" shape; a value
  // follows a label, or ends its sentence with 입니다)
  for (const [key, text] of Object.entries(KO)) assert.ok(!/다:\s*$/.test(text), `${key}: ${text}`);
  for (const key of ["hook_changed_before", "hook_changed_middle", "received_seed"]) assert.ok(!/:\s*$/.test(KO[key]), key);
});
