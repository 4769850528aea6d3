// The code editor (CodeMirror, from npm): Ctrl/Cmd+Enter runs, Tab indents, Esc then Tab leaves; an error's line
// and a node's source line can be marked.

import { el } from "./dom.js";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]';

// Move the keyboard to the control after (or before) `element`, as Tab does: CodeMirror's own keymap would take a Tab
// it is given back (and indent).
function focusBeside(element, forward) {
  const controls = [...document.querySelectorAll(FOCUSABLE)].filter(
    (control) => !element.contains(control) && control.getClientRects().length > 0,
  );
  const side = forward ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
  const beside = controls.filter((control) => element.compareDocumentPosition(control) & side);
  const target = forward ? beside[0] : beside[beside.length - 1];
  if (target) target.focus();
}

export class Editor {
  constructor(textarea, { onRun, onEdit }) {
    this.marks = []; // how to undo each mark of an error
    this.sourceMark = null; // the line of the node in the inspector
    this.cm = CodeMirror.fromTextArea(textarea, {
      mode: "python",
      lineNumbers: true,
      lineWrapping: true,
      indentUnit: 4,
      viewportMargin: Infinity,
      gutters: ["CodeMirror-linenumbers", "error-gutter"],
      // every invisible character that can reorder or hide code is drawn as a red dot (CodeMirror's own list
      // leaves out U+202A-U+202C, U+2068 and the zero-width joiners: a shared run's code could hide text in them)
      // eslint-disable-next-line no-control-regex -- (control characters are what it is to find)
      specialChars: /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffc]/g,
      extraKeys: {
        "Ctrl-Enter": () => onRun(),
        "Cmd-Enter": () => onRun(),
        // Esc then Tab leaves the editor: Tab alone indents, as in any code editor
        Esc: (cm) => {
          cm.state.tabLeaves = true;
        },
        Tab: (cm) => (cm.state.tabLeaves ? focusBeside(cm.getWrapperElement(), true) : cm.execCommand("indentMore")),
        "Shift-Tab": (cm) =>
          cm.state.tabLeaves ? focusBeside(cm.getWrapperElement(), false) : cm.execCommand("indentLess"),
      },
    });
    this.cm.on("keydown", (cm, event) => {
      if (event.key !== "Escape" && event.key !== "Tab" && event.key !== "Shift") cm.state.tabLeaves = false;
    });
    this.cm.on("blur", (cm) => {
      cm.state.tabLeaves = false;
    });
    this.cm.on("changes", () => onEdit(this.value));
    // A wrapped line keeps its indentation (a hanging indent): in a narrow column (the inspector open, a phone) a
    // long line of a method body wrapped back to the left edge and read as if it were outside its block.
    this.cm.on("renderLine", (cm, line, element) => {
      const indent = CodeMirror.countColumn(line.text, null, cm.getOption("tabSize")) * cm.defaultCharWidth();
      element.style.textIndent = `-${indent}px`;
      element.style.paddingLeft = `${4 + indent}px`;
    });
    this.cm.refresh();
    // A snippet taller than its box scrolls there: the scroller takes the keyboard too (Tab, then the arrows),
    // not only the editor's own text cursor.
    this.cm.getScrollerElement().tabIndex = 0;
  }

  get value() {
    return this.cm.getValue();
  }

  set value(code) {
    this.cm.setValue(code);
  }

  hasFocus() {
    return this.cm.hasFocus();
  }

  focus() {
    this.cm.focus();
  }

  label(text) {
    this.cm.getInputField().setAttribute("aria-label", text);
  }

  clearMarks() {
    for (const undo of this.marks) undo();
    this.marks = [];
  }

  // An error on `line` (1 first): the line marked, "!" in the gutter, the character at `column` (1 first, as Python
  // counts) underlined, scrolled into view within the editor.
  markError(line, column = null) {
    if (!line || line > this.cm.lineCount()) return;
    const handle = this.cm.addLineClass(line - 1, "wrap", "error-line");
    this.cm.setGutterMarker(line - 1, "error-gutter", el("span", { class: "gutter-mark", text: "!" }));
    this.marks.push(
      () => this.cm.removeLineClass(handle, "wrap", "error-line"),
      () => this.cm.clearGutter("error-gutter"),
    );
    const length = this.cm.getLine(line - 1).length;
    if (column && column >= 1 && column - 1 < length) {
      const ch = column - 1;
      const mark = this.cm.markText({ line: line - 1, ch }, { line: line - 1, ch: ch + 1 }, { className: "error-column" });
      this.marks.push(() => mark.clear());
    } else if (column && column >= 1) {
      // past the line's end (Python points there when a line stops too early): a marked spot after its last character
      const spot = el("span", { class: "error-column end", text: " " });
      const bookmark = this.cm.setBookmark({ line: line - 1, ch: length }, { widget: spot });
      this.marks.push(() => bookmark.clear());
    }
    this.scrollTo(line);
  }

  // A line where the code cut the graph (`.detach()`, `torch.no_grad()`) that left a leaf without .grad: marked as the
  // graphs draw a cut (dashed), with scissors in the gutter unless an error's mark is there; cleared with the errors'.
  markCut(line) {
    if (!line || line > this.cm.lineCount()) return;
    const handle = this.cm.addLineClass(line - 1, "wrap", "cut-line");
    this.marks.push(() => this.cm.removeLineClass(handle, "wrap", "cut-line"));
    if (!(this.cm.lineInfo(line - 1).gutterMarkers || {})["error-gutter"]) {
      this.cm.setGutterMarker(line - 1, "error-gutter", el("span", { class: "gutter-mark cut", text: "✂" }));
      this.marks.push(() => this.cm.clearGutter("error-gutter"));
    }
  }

  // The source line of the node being inspected (null: none).
  showLine(line) {
    if (this.sourceMark) this.cm.removeLineClass(this.sourceMark, "wrap", "source-line");
    const shown = line && line <= this.cm.lineCount();
    this.sourceMark = shown ? this.cm.addLineClass(line - 1, "wrap", "source-line") : null;
    if (shown) this.scrollTo(line);
  }

  // Scrolls the editor itself (never the page: on a phone the graph being looked at stays where it is).
  scrollTo(line) {
    const info = this.cm.getScrollInfo();
    const top = this.cm.heightAtLine(line - 1, "local");
    if (top < info.top || top > info.top + info.clientHeight - 40) this.cm.scrollTo(null, Math.max(0, top - 60));
  }
}
