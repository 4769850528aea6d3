// What a backward node computes, in words and with the run's own numbers: the node's `explain` (its local
// derivative, the chain rule for each input, checked against PyTorch). Shown in the inspector.

import { el } from "./dom.js";
import { formatNumber } from "./format.js";
import { language, t } from "./i18n.js";

const say = (words) => (words ? words[language()] || words.en || "" : "");

function checkView(check) {
  if (!check) return el("span", { class: "check unchecked", text: t("check_none") });
  const error = formatNumber(Number(check.max_abs_err));
  return check.ok
    ? el("span", { class: "check ok", text: `✓ ${t("check_ok", { error })}` })
    : el("span", { class: "check bad", text: `✗ ${t("check_bad", { error })}` });
}

// The explanation of a backward node: rule words, local derivative, and per input the chain rule with numbers.
export function explanationView(index, node) {
  const box = el("div", { class: "explanation" });
  const explain = node.explain;
  if (!explain) {
    box.append(el("p", { class: "words", text: t("no_rule_yet", { name: node.name }) }));
    return box;
  }
  box.append(el("p", { class: "words", text: say(explain.words) }));
  if (say(explain.formula)) box.append(el("p", { class: "formula" }, el("code", { text: say(explain.formula) })));
  const list = el("ul", { class: "chain" });
  for (const input of explain.inputs || []) {
    const tensor = input.to ? index.forward.get(input.to) : null;
    const item = el("li");
    if (tensor) item.append(el("span", { class: "to", text: `→ ${tensor.var || t("unnamed")}` }), " ");
    item.append(el("code", { text: say(input.formula) }));
    if (input.numbers) item.append(el("div", { class: "numbers" }, el("code", { text: input.numbers })));
    item.append(" ", checkView(input.check));
    list.append(item);
  }
  if (list.childElementCount) box.append(list);
  return box;
}
