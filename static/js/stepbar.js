// The controls that step through backward: ⏮ ◀ ▶ ⏭, a slider, the ← → keys (Home and End too), and play at a
// chosen speed. It knows only the step shown (null: none, the whole run: the slider's last position, after the last
// step) and how many there are; the viewer shows each step it is asked for.

import { t } from "./i18n.js";

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export class StepBar {
  // `page`: the bar's elements; `onStep(k)`: show step k (0 .. count, null: all); `isTyping()`: the editor has focus;
  // `keys`: where the keys are heard (the page: the whole document; an embedded run: its own element).
  constructor(page, { onStep, isTyping = () => false, keys = document }) {
    this.page = page;
    this.onStep = onStep;
    this.count = 0;
    this.step = null;
    this.timer = null;
    page.first.addEventListener("click", () => this.go(0));
    page.prev.addEventListener("click", () => this.back());
    page.next.addEventListener("click", () => this.forward());
    page.last.addEventListener("click", () => this.go(this.count));
    page.slider.addEventListener("input", () => {
      const k = Number(page.slider.value);
      this.go(k > this.count ? null : k);
    });
    page.play.addEventListener("click", () => (this.timer ? this.pause() : this.play()));
    page.speed.addEventListener("change", () => {
      if (this.timer) this.play(false);
    });
    keys.addEventListener("keydown", (event) => {
      if (!this.count || event.altKey || event.ctrlKey || event.metaKey || isTyping()) return;
      const target = event.target;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
      const action = { ArrowRight: () => this.forward(), ArrowLeft: () => this.back(), Home: () => this.go(0), End: () => this.go(this.count) }[
        event.key
      ];
      if (action) {
        event.preventDefault();
        if (keys !== document) event.stopPropagation(); // (a notebook's own keys move between cells)
        this.pause();
        action();
      }
    });
  }

  // A run with `count` steps is shown, at `step`.
  reset(count, step) {
    this.pause();
    this.count = count;
    this.page.bar.hidden = count === 0;
    this.page.slider.max = String(count + 1); // (the whole run is a position of its own, after the last step)
    this.show(step);
  }

  forward() {
    if (this.step === null) this.go(1);
    else if (this.step < this.count) this.go(this.step + 1);
  }

  back() {
    if (this.step === null) this.go(this.count);
    else if (this.step > 0) this.go(this.step - 1);
  }

  go(k) {
    const step = k === null ? null : Math.max(0, Math.min(this.count, k));
    this.show(step);
    this.onStep(step);
  }

  show(step) {
    this.step = step;
    const page = this.page;
    page.slider.value = String(step === null ? this.count + 1 : step);
    const counter = step === null ? t("step_all") : t("step_counter", { k: step, n: this.count });
    page.count.textContent = counter;
    page.slider.setAttribute("aria-valuetext", step === null ? t("step_all") : t("step_of", { k: step, n: this.count }));
    // a button about to be disabled under the keyboard hands it to its neighbour going back (or forward), not to
    // the page: → at the last step, then ←, steps back
    const handOver = { next: page.prev, last: page.prev, first: page.next, prev: page.next };
    const focused = Object.keys(handOver).find((key) => page[key] === document.activeElement);
    page.first.disabled = step === 0;
    page.prev.disabled = step === 0;
    page.next.disabled = step === this.count;
    page.last.disabled = step === this.count;
    if (focused && page[focused].disabled && !handOver[focused].disabled) handOver[focused].focus();
  }

  // Plays from where it is (from the start when at the end or showing everything), one step per chosen interval.
  play(restart = true) {
    clearInterval(this.timer);
    if (restart && (this.step === null || this.step >= this.count)) this.go(0);
    this.timer = setInterval(() => {
      if (this.step !== null && this.step < this.count) this.go(this.step + 1);
      if (this.step === null || this.step >= this.count) this.pause();
    }, Number(this.page.speed.value) || 1000);
    this.playing(true);
  }

  pause() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playing(false);
  }

  playing(on) {
    this.page.play.setAttribute("aria-pressed", String(on));
    this.page.play.querySelector(".play-icon").toggleAttribute("hidden", on);
    this.page.play.querySelector(".pause-icon").toggleAttribute("hidden", !on);
    this.page.play.querySelector(".play-text").textContent = t(on ? "step_pause" : "step_play");
  }

  relabel() {
    this.show(this.step);
    this.playing(Boolean(this.timer));
  }
}
