// Graphviz's SVG into the page without ever parsing it as the page's markup: the picture is read as XML, and
// only the elements and attributes a Graphviz drawing is made of are rebuilt in the page, text as text. A
// link, an image, a script, an event handler or a style that reached the picture (through a run's strings,
// if they ever got past the server's DOT quoting) is left behind; a link's contents stay, without the link.
// A node's <title> (its DOT id, which would show as a tooltip) becomes its `data-node` attribute, and an edge's
// Graphviz id (`edge<n>`, its place in the DOT) its `data-edge` (n - 1, its index in the Run's edges).

const SVG = "http://www.w3.org/2000/svg";
const XML = "http://www.w3.org/XML/1998/namespace";
const ELEMENTS = new Set(["svg", "g", "polygon", "polyline", "path", "ellipse", "text"]);
const UNWRAPPED = new Set(["a"]); // URL=, href=: the contents are drawn, the link is not
const ATTRIBUTES = new Set([
  "class",
  "width",
  "height",
  "viewBox",
  "transform",
  "points",
  "d",
  "cx",
  "cy",
  "rx",
  "ry",
  "x",
  "y",
  "fill",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "fill-opacity",
  "stroke-opacity",
  "text-anchor",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "text-decoration",
]);
// Paint from a reference (url(...)) could load something: colours only.
const PAINT = new Set(["fill", "stroke"]);

function copyInto(target, source) {
  for (const child of source.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.append(child.data);
    } else if (child.nodeType === Node.ELEMENT_NODE && child.namespaceURI === SVG) {
      if (UNWRAPPED.has(child.localName)) {
        copyInto(target, child);
      } else if (ELEMENTS.has(child.localName)) {
        target.append(copy(child));
      }
    }
  }
}

// The DOT id Graphviz names a node by, from its <title>: app/render.py quotes ids with a backslash before
// \ " { } | < > (Graphviz keeps all but \" as written), so the backslashes come off here.
export function dotId(title) {
  return title.replace(/\\([\\{}|<>])/g, "$1");
}

function isNode(source) {
  return source.localName === "g" && (source.getAttribute("class") || "").split(" ").includes("node");
}

function isEdge(source) {
  return source.localName === "g" && (source.getAttribute("class") || "").split(" ").includes("edge");
}

function copy(source) {
  const element = document.createElementNS(SVG, source.localName);
  if (isNode(source)) {
    const title = [...source.children].find((child) => child.localName === "title");
    if (title) element.setAttribute("data-node", dotId(title.textContent));
  } else if (isEdge(source)) {
    // Graphviz names the n-th edge of the DOT `edge<n>`: app/render.py writes them in the Run's order
    const number = /^edge([0-9]{1,9})$/.exec(source.getAttribute("id") || "");
    if (number) element.setAttribute("data-edge", String(Number(number[1]) - 1));
  }
  for (const attribute of source.attributes) {
    const name = attribute.localName;
    if (attribute.namespaceURI === XML && name === "space") {
      element.setAttributeNS(XML, "xml:space", attribute.value === "preserve" ? "preserve" : "default");
    } else if (!attribute.namespaceURI && ATTRIBUTES.has(name)) {
      if (PAINT.has(name) && /url\s*\(/i.test(attribute.value)) continue;
      element.setAttribute(name, attribute.value);
    }
  }
  copyInto(element, source);
  return element;
}

// The page takes no markup from a string (Trusted Types): this policy hands the text to DOMParser only, whose
// document is never shown (nothing in it runs or loads); the page gets the copy made from it below.
const inert = globalThis.trustedTypes
  ? globalThis.trustedTypes.createPolicy("gradwalk-svg", { createHTML: (text) => text })
  : { createHTML: (text) => text };

// The <svg> element for Graphviz's SVG text `markup`, made of the page's own elements (throws if it is none).
export function pictureOf(markup) {
  const parsed = new DOMParser().parseFromString(inert.createHTML(markup), "image/svg+xml");
  const root = parsed.documentElement;
  if (!root || root.namespaceURI !== SVG || root.localName !== "svg") {
    throw new Error("Graphviz's answer is not an SVG picture");
  }
  return copy(root);
}
