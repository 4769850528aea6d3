// The examples menu (the tutorial's six first) and the explanation of the chosen one, in the page's language.

import { el } from "./dom.js";
import { language, t } from "./i18n.js";

const SEED_COUNT = 6;

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

export class Examples {
  constructor(examples, select, about, { onChoose }) {
    this.examples = examples;
    this.select = select;
    this.about = about;
    this.chosen = null; // the example whose code is in the editor, unchanged
    select.addEventListener("change", () => {
      const example = this.find((e) => e.id === select.value);
      if (example) onChoose(this.choose(example));
    });
  }

  find(test) {
    return this.examples.find(test) || null;
  }

  // Shows `example` as chosen (null: none) and returns it.
  choose(example) {
    this.chosen = example;
    this.select.value = example ? example.id : "";
    this.showAbout();
    return example;
  }

  // The editor's code changed: the explanation no longer fits unless it is still the example's code (or is an
  // example's again: an edit undone).
  edited(code) {
    if (this.chosen && code !== this.chosen.code) this.choose(null);
    else if (!this.chosen) {
      const same = this.find((e) => e.code === code);
      if (same) this.choose(same);
    }
  }

  fill() {
    const keep = this.select.value;
    this.select.replaceChildren(el("option", { value: "", text: t("choose_example") }));
    const groups = [el("optgroup", { label: t("seed_group") }), el("optgroup", { label: t("more_group") })];
    this.examples.forEach((example, i) => {
      const title = language() === "ko" ? example.title : example.title_en;
      const seed = i < SEED_COUNT;
      groups[seed ? 0 : 1].append(el("option", { value: example.id, text: `${seed ? `${i + 1}. ` : ""}${title}` }));
    });
    this.select.append(...groups);
    this.select.value = keep;
  }

  showAbout() {
    const example = this.chosen;
    this.about.hidden = !example;
    if (!example) return;
    const ko = language() === "ko";
    this.about.replaceChildren(
      el("h2", { text: ko ? example.title : example.title_en }),
      prose(ko ? example.about : example.about_en),
    );
  }
}
