// The one way the page makes elements: properties set as attributes, `text` as text, `on…` as listeners. Text from
// a run only ever goes in as text.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// Text whose `backquoted` spans are code (the server's hints write code so: "Line 5 (`b.mul_(2)`) changed `b`"):
// the text and <code> elements, in one fragment to append (a forged run's hint may hold more of them than a call takes
// arguments). An unpaired backquote stays as it is. Given `onLine`, each line the text names ("Line 5", "5번 줄") is a
// button that calls it with the line's number (the page shows that line in the code).
export function withCode(text, onLine = null) {
  const fragment = document.createDocumentFragment();
  String(text)
    .split(/`([^`\n]+)`/)
    .forEach((part, i) => {
      if (part === "") return;
      if (i % 2) fragment.append(el("code", { text: part }));
      else if (onLine) withLines(fragment, part, onLine);
      else fragment.append(part);
    });
  return fragment;
}

const LINE_NAMED = /([Ll]ine (\d+)|(\d+)번 줄)/;

function withLines(fragment, text, onLine) {
  const parts = text.split(LINE_NAMED); // (each match adds its three groups: the words, then the number in one of two)
  for (let i = 0; i < parts.length; i += 4) {
    if (parts[i]) fragment.append(parts[i]);
    if (i + 1 >= parts.length) break;
    const line = Number(parts[i + 2] || parts[i + 3]);
    fragment.append(el("button", { type: "button", class: "link line-ref", onclick: () => onLine(line) }, parts[i + 1]));
  }
}
