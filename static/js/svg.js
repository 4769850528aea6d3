// Graphviz's SVG into the page without ever parsing it as the page's markup: the picture is read into a
// document of its own (inert: nothing in it runs or loads), everything but the elements and attributes a
// Graphviz drawing is made of is taken out there, and only then is it copied into the page. A link, an image,
// a script, an event handler or a style that reached the picture (through a run's strings, if they ever got
// past dot.js's quoting) is left behind; a link's contents stay, without the link.

const SVG = "http://www.w3.org/2000/svg";
const XML = "http://www.w3.org/XML/1998/namespace";
const ELEMENTS = new Set(["svg", "g", "polygon", "polyline", "path", "ellipse", "text"]);
const UNWRAPPED = new Set(["a"]); // URL=, href=: the contents are drawn, the link is not
const ATTRIBUTES = new Set([
  "id",
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
// Paint from a reference (url(...)) could load something: colours only (Graphviz writes names and #rrggbb).
const PAINT = new Set(["fill", "stroke"]);

// Takes out of `element`'s subtree (in the parsed document) what is not allowed; links give way to what they hold.
function clean(element) {
  const attributes = element.attributes;
  for (let i = attributes.length - 1; i >= 0; i--) {
    const attribute = attributes[i];
    const name = attribute.localName;
    const allowed = attribute.namespaceURI
      ? attribute.namespaceURI === XML && name === "space"
      : ATTRIBUTES.has(name) && !(PAINT.has(name) && attribute.value.includes("("));
    if (!allowed) element.removeAttributeNode(attribute);
  }
  let child = element.firstChild;
  while (child) {
    const next = child.nextSibling;
    if (child.nodeType === Node.ELEMENT_NODE && child.namespaceURI === SVG && UNWRAPPED.has(child.localName)) {
      const first = child.firstChild;
      child.replaceWith(...child.childNodes);
      if (first) {
        child = first;
        continue;
      }
    } else if (child.nodeType === Node.ELEMENT_NODE && child.namespaceURI === SVG && ELEMENTS.has(child.localName)) {
      clean(child);
    } else if (child.nodeType !== Node.TEXT_NODE) {
      child.remove();
    }
    child = next;
  }
}

// The page takes no markup from a string (Trusted Types): this policy hands the text to DOMParser only, whose
// document is never shown (nothing in it runs or loads); the page gets the cleaned copy made from it below.
const inert = window.trustedTypes
  ? window.trustedTypes.createPolicy("gradwalk-svg", { createHTML: (text) => text })
  : { createHTML: (text) => text };

// The <svg> element for Graphviz's SVG text `markup`, made of the page's own elements (throws if it is none).
export function pictureOf(markup) {
  // The HTML parser, in a document of its own, reads Graphviz's SVG in half the time the XML parser takes.
  const parsed = new DOMParser().parseFromString(inert.createHTML(markup), "text/html");
  const root = parsed.body.firstElementChild;
  if (!root || root.namespaceURI !== SVG || root.localName !== "svg") {
    throw new Error("Graphviz's answer is not an SVG picture");
  }
  clean(root);
  return document.adoptNode(root);
}
