// The inspector writes numbers as the server's labels do: the examples in tests/numbers.json, which
// tests/test_render.py checks against app/render.py's format_number.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { formatNumber } from "../../static/js/format.js";

const EXAMPLES = JSON.parse(readFileSync(new URL("../numbers.json", import.meta.url), "utf8"));

test("every number reads as the server's labels write it", () => {
  for (const [value, text] of EXAMPLES) assert.equal(formatNumber(value), text, `formatNumber(${value})`);
});
