// The inspector writes numbers as the server's labels do: the examples in tests/numbers.json, which
// tests/test_render.py checks against app/render.py's format_number.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { formatNumber, shortened } from "../../static/js/format.js";

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
