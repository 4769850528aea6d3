// Numbers as the graphs' labels write them (app/render.py's format_number), for the inspector's tables: whole
// numbers in full up to 1e16, others to five significant digits, "nan", "inf", booleans and null as Python
// writes them. tests/numbers.json holds the examples both must write alike.

export function formatNumber(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value !== "number") return String(value); // "nan", "inf", "-inf", an int64's digits (parseJson)
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value === 0 ? 0 : value);
  // Python's "{:.5g}": five significant digits, exponent form outside 1e-4 .. 1e5, trailing zeros dropped
  const [mantissa, exp] = value.toExponential(4).split("e");
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 5) {
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${trimZeros(mantissa)}e${exponent < 0 ? "-" : "+"}${digits}`;
  }
  return trimZeros(value.toPrecision(5));
}

function trimZeros(text) {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

// A run's JSON as the page reads it. An int64 value past 2^53 (a seed, a hash, a big index) is kept as its exact digits,
// which formatNumber writes as they are: JSON.parse alone rounds it to the nearest double, and the inspector showed
// 9007199254740993 as ...992 where the graph's label (written by the server) was right. (Where the JSON's own text
// is not given to the reviver, before Chrome 114 and Node 21, numbers are read as JSON.parse reads them.)
export const parseJson = (text) =>
  JSON.parse(text, (key, value, context) =>
    typeof value === "number" && !Number.isSafeInteger(value) && context && /^-?\d+$/.test(context.source)
      ? context.source
      : value,
  );

// A tensor's values as the labels write them, nested lists in brackets: `[[-8.1], [-16.3]]`.
export function formatValues(data) {
  if (Array.isArray(data)) return `[${data.map(formatValues).join(", ")}]`;
  return formatNumber(data);
}

// A Summary in a line of text: its values, or (cut short) its shape and statistics; null as "None".
export function formatSummary(summary) {
  if (!summary) return "None";
  if (summary.data === null || summary.data === undefined) return `${summary.shape.join("×") || "()"} ${summary.dtype}`;
  if (summary.truncated) {
    return `${summary.shape.join("×")}: min ${formatNumber(summary.min)}, max ${formatNumber(summary.max)}, mean ${formatNumber(summary.mean)}`;
  }
  return formatValues(summary.data);
}

// A Summary on one line of a graph's label, as app/render.py's label_value writes it there: `width` characters at most
// (a node's gradient 40, an arrow's 28), cut with "…". An earlier backward pass's gradient is written over the last
// pass's label so: written whole, pass 1's gradient of a training loop's first weight ran 330 px out of its node.
export function labelSummary(summary, width) {
  if (!summary) return "None";
  if (summary.data === null || summary.data === undefined) return "—";
  if (summary.truncated) {
    return `min ${formatNumber(summary.min)} max ${formatNumber(summary.max)} mean ${formatNumber(summary.mean)}`;
  }
  const text = formatValues(summary.data);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

// A long line of values (a 5×8 gradient) cut at the last whole number within `max` characters, "…" after it; a short
// one as it is. The step panel writes a received gradient so, and the chain rule under it stays in view.
export function shortened(text, max) {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(", ", max);
  return `${text.slice(0, cut > 0 ? cut : max)}, …`;
}

// Whether a summary holds all its values (not cut short, not unreadable, not None).
export const wholeValues = (s) => Boolean(s) && !s.truncated && s.data !== null && s.data !== undefined;

// Gradients that add up, written out with their values: `[3, 6] + [3, 6] = [6, 12]` (a negative term after the first in
// brackets: `-1 + (-2) = -3`). Null when one is cut short or has no values, their shapes differ, or the terms do not
// add up to `total` (a hook changed the sum): then the page says they were added, in words only.
export function sumText(terms, total) {
  if (terms.length < 2 || !wholeValues(total) || !terms.every(wholeValues)) return null;
  const shape = JSON.stringify(total.shape);
  if (terms.some((s) => JSON.stringify(s.shape) !== shape)) return null;
  const values = (s) => [s.data].flat(Infinity);
  const want = values(total);
  const sums = want.map(() => 0);
  for (const term of terms) {
    const got = values(term);
    if (got.length !== want.length || !got.every(Number.isFinite)) return null;
    got.forEach((v, i) => (sums[i] += v));
  }
  // (float32 sums, added here in float64: a few units of the last place apart)
  if (!want.every((v, i) => Number.isFinite(v) && Math.abs(sums[i] - v) <= 1e-6 + 1e-4 * Math.abs(v))) return null;
  const written = terms.map((s, i) => {
    const text = formatSummary(s);
    return i > 0 && text.startsWith("-") ? `(${text})` : text;
  });
  return `${written.join(" + ")} = ${formatSummary(total)}`;
}
