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
// arguments). An unpaired backquote stays as it is.
export function withCode(text) {
  const fragment = document.createDocumentFragment();
  String(text)
    .split(/`([^`\n]+)`/)
    .forEach((part, i) => part !== "" && fragment.append(i % 2 ? el("code", { text: part }) : part));
  return fragment;
}
