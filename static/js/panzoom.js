// Pan and zoom for one drawn graph, at an absolute scale (CSS px per graph unit, so the page can draw both panes at
// one scale and labels at a size it chooses): the picture is drawn at that scale and the pane scrolls over it, so a
// node that gets the focus (Tab, or a click from a script) is scrolled into view as any element is. Wheel, trackpad
// or two-finger pinch zooms at the fingers, dragging pans, keys + - 0 and the arrows do the same from the keyboard.
// Where the page scrolls under a touch (the stylesheet lets the browser pan it: `touch-action: pan-x pan-y`), one
// finger scrolls the page and two move the graph, as an embedded map does. A resized pane keeps its scale and centre.

const MIN_SCALE = 0.05;
const MAX_SCALE = 8;
const MARGIN_PX = 8; // around the graph, at any scale
const NO_CORNER = { width: 0, height: 0 };

// The picture's size (CSS px) and viewBox (graph units) for a graph box `full` at `scale` in a pane of `size`:
// the graph plus a margin, and never smaller than the pane (a small graph sits in its middle). Whole CSS px: the
// browser lays out sizes in fractions of a px, which would draw the picture at a scale a little off `scale`.
// `reserve` (CSS px): room kept free after the graph, right and below, for what covers the pane's bottom right
// corner (the overview map): the graph is centred in the rest, and where it is larger than the pane the picture
// grows by that room, so that any node can be panned clear of the corner.
export function pictureOf(full, scale, size, reserve = { width: 0, height: 0 }) {
  const margin = MARGIN_PX / scale;
  const width = Math.ceil(Math.max(size.width, (full.w + 2 * margin) * scale + reserve.width));
  const height = Math.ceil(Math.max(size.height, (full.h + 2 * margin) * scale + reserve.height));
  const w = width / scale;
  const h = height / scale;
  const before = (length, room, extent) => (length - room / scale - extent) / 2; // graph units left of / above it
  return {
    width,
    height,
    box: { x: full.x - before(w, reserve.width, full.w), y: full.y - before(h, reserve.height, full.h), w, h },
  };
}

// The scale at which `full` (a graph's box) fits in `size`, margins included.
export function fitScale(full, size) {
  if (!full.w || !full.h || !size.width || !size.height) return 1;
  return Math.min((size.width - 2 * MARGIN_PX) / full.w, (size.height - 2 * MARGIN_PX) / full.h);
}

// Where boxes shown together (CSS px, any origin) go in a pane of `size` whose bottom right `corner` is covered: the
// pane point (CSS px from its top left) of their bounding box's top left, in the pane's middle, or moved up or left
// as little as clears the corner, `MARGIN_PX` in from every edge; null where they do not fit so.
export function placing(boxes, size, corner) {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const w = Math.max(...boxes.map((b) => b.x + b.w)) - x;
  const h = Math.max(...boxes.map((b) => b.y + b.h)) - y;
  if (w > size.width - 2 * MARGIN_PX || h > size.height - 2 * MARGIN_PX) return null;
  const at = { x: (size.width - w) / 2, y: (size.height - h) / 2 };
  const free = { x: size.width - corner.width - MARGIN_PX, y: size.height - corner.height - MARGIN_PX };
  const ends = boxes.map((b) => ({ x: at.x + b.x - x + b.w, y: at.y + b.y - y + b.h })); // their bottom right corners
  const under = corner.width > 0 ? ends.filter((end) => end.x > free.x && end.y > free.y) : [];
  if (!under.length) return at;
  const left = Math.max(...under.map((end) => end.x - free.x));
  const up = Math.max(...under.map((end) => end.y - free.y));
  const canLeft = left <= at.x - MARGIN_PX;
  if (up <= at.y - MARGIN_PX && (up <= left || !canLeft)) return { x: at.x, y: at.y - up };
  return canLeft ? { x: at.x - left, y: at.y } : null;
}

const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

// `size` is the canvas's size, measured before the picture went in (measuring after would force a layout).
// `onZoom(scale)` is told of every change of scale the person makes; `onMove()` of every change at all.
// `corner(size)`: the size (CSS px, its offset from the pane's edges included) of what covers the bottom right
// corner of a pane of `size` while the graph does not fit (the overview map): the picture keeps room for it and
// a node under it counts as out of view. `nodes()`: the graph boxes of the nodes, none of which the pane's top edge
// may cut where a view is chosen for the person (its name is its first row). `onOneFinger()`: a finger swiped over
// the graph and scrolled the page (the pane says how to move the graph). `yields()`: whether what covers the corner
// folds away by itself where it would cover a node (then what a step shows together may go under it).
export function panZoom(svg, canvas, size, signal, { onZoom = () => {}, onMove = () => {}, corner = null, nodes = () => [], onOneFinger = () => {}, yields = () => false } = {}) {
  const vb = svg.viewBox.baseVal;
  const full = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
  let canvasSize = { width: size.width || 1, height: size.height || 1 };
  let scale = 1;
  let picture = pictureOf(full, scale, canvasSize);
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");

  // Draws the picture at `scale`, the graph point `keep` at `at` (CSS px from the pane's top left).
  function layout(keep, at) {
    picture = pictureOf(full, scale, canvasSize, covered());
    const b = picture.box;
    svg.setAttribute("width", String(picture.width));
    svg.setAttribute("height", String(picture.height));
    svg.setAttribute("viewBox", `${b.x} ${b.y} ${b.w} ${b.h}`);
    svg.dataset.scale = String(scale);
    canvas.scrollLeft = (keep.x - b.x) * scale - at.x;
    canvas.scrollTop = (keep.y - b.y) * scale - at.y;
    onMove();
  }

  // The size of the pane's covered corner at the scale shown (none while the whole graph is in view).
  function covered() {
    return corner && !fits() ? corner(canvasSize) : { width: 0, height: 0 };
  }

  // The graph point at the pane's centre.
  function centre() {
    const b = picture.box;
    return {
      x: b.x + (canvas.scrollLeft + canvasSize.width / 2) / scale,
      y: b.y + (canvas.scrollTop + canvasSize.height / 2) / scale,
    };
  }
  const middleOfPane = () => ({ x: canvasSize.width / 2, y: canvasSize.height / 2 });

  // graph coordinates of a point on the screen
  function toGraph(clientX, clientY) {
    const rect = canvas.getBoundingClientRect();
    const b = picture.box;
    return {
      x: b.x + (canvas.scrollLeft + clientX - rect.left) / scale,
      y: b.y + (canvas.scrollTop + clientY - rect.top) / scale,
    };
  }

  // `at`: a point on the screen that stays over the same place of the graph (default: the pane's centre)
  function setScale(next, at = null) {
    const rect = canvas.getBoundingClientRect();
    const point = at ? toGraph(at.x, at.y) : centre();
    const where = at ? { x: at.x - rect.left, y: at.y - rect.top } : middleOfPane();
    scale = Math.min(Math.max(next, MIN_SCALE), MAX_SCALE);
    layout(point, where);
  }

  function zoom(factor, at = null) {
    setScale(scale * factor, at);
    onZoom(scale);
  }

  function pan(dx, dy) {
    canvas.scrollLeft -= dx;
    canvas.scrollTop -= dy;
  }

  // the graph box of a drawn element (a node), in the graph's own coordinates
  // (several elements: the box around them all; `{box}`: that box, a part of an element)
  function boxOf(element) {
    if (element.box) return element.box;
    if (Array.isArray(element)) {
      const boxes = element.map(boxOf);
      const x = Math.min(...boxes.map((b) => b.x));
      const y = Math.min(...boxes.map((b) => b.y));
      return { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y };
    }
    const b = element.getBBox();
    const g = svg.querySelector("g.graph");
    const m = g && g.transform.baseVal.consolidate();
    const tx = m ? m.matrix.e : 0;
    const ty = m ? m.matrix.f : 0;
    return { x: b.x + tx, y: b.y + ty, w: b.width, h: b.height };
  }

  function centerOnPoint(x, y) {
    layout({ x, y }, middleOfPane());
  }

  function centerOn(element) {
    const b = boxOf(element);
    centerOnPoint(b.x + b.w / 2, b.y + b.h / 2);
  }

  // Brings elements into view, clear of the covered corner: the first of `choices` (each an element, or several to
  // be shown together: a node, the labels of its arrows, the nodes they go to) that fits in view at this scale (clear
  // of the corner, else, where what covers it yields, under it: it folds away), else the last, in the middle of the
  // part of the pane above the corner or of the part left of it, whichever holds it better (its top, where a node's
  // name is, in view). Nothing moves when the one chosen is in view already.
  function reveal(...choices) {
    resync();
    const c = covered();
    for (const [i, choice] of choices.entries()) {
      const b = boxOf(choice);
      const parts = (Array.isArray(choice) ? choice : [choice]).map(boxOf);
      const px = parts.map((p) => ({ x: p.x * scale, y: p.y * scale, w: p.w * scale, h: p.h * scale }));
      let at = placing(px, canvasSize, c);
      const under = !at && c.width > 0 && yields() && placing(px, canvasSize, NO_CORNER);
      if (under) at = under;
      if (!at && i < choices.length - 1) continue;
      const clear = under ? NO_CORNER : c;
      if (shows(choice, 8, clear)) return;
      if (!at) {
        const above = { width: canvasSize.width, height: canvasSize.height - c.height };
        const beside = { width: canvasSize.width - c.width, height: canvasSize.height };
        const room = (area) => Math.min(area.width - b.w * scale, area.height - b.h * scale);
        const area = room(above) >= room(beside) ? above : beside;
        const tall = b.h * scale > area.height - 2 * MARGIN_PX;
        at = { x: (area.width - b.w * scale) / 2, y: tall ? MARGIN_PX : (area.height - b.h * scale) / 2 };
        // one wider than the part left of the map but not than the pane: whole across, the map over a corner of it,
        // rather than its lines cut where they start (a training loop's AddmmBackward0 at 1366x768 lost 31 px)
        const across = canvasSize.width - 2 * MARGIN_PX - b.w * scale;
        if (across >= 0) at.x = Math.min(Math.max(at.x, MARGIN_PX), MARGIN_PX + across);
      }
      layout({ x: b.x, y: b.y }, at);
      // (nor where the top edge cuts a node, if what was brought stays in view)
      const placed = canvas.scrollTop;
      clearTop(scrollOf(b.y + b.h) - canvasSize.height + MARGIN_PX, scrollOf(b.y) - MARGIN_PX);
      if (!shows(choice, 8, clear)) {
        canvas.scrollTop = placed;
        onMove();
      }
      return;
    }
  }

  // The scrollTop that puts graph point `y` at the pane's top edge.
  const scrollOf = (y) => (y - picture.box.y) * scale;

  // A node the pane's top edge cuts shows its values without its name: the view starts just above it where that
  // keeps scrollTop at `least` or more (what must stay in view above the bottom), else just under it where that
  // keeps it at `most` or less; else it stays.
  function clearTop(least = 0, most = Infinity) {
    for (let tries = 0; tries < 4; tries++) {
      const v = viewBox();
      const cut = nodes().filter((b) => b.y < v.y - 0.5 / scale && b.y + b.h > v.y && b.x < v.x + v.w && b.x + b.w > v.x);
      if (!cut.length) break;
      const up = scrollOf(Math.min(...cut.map((b) => b.y))) - MARGIN_PX;
      const down = Math.ceil(scrollOf(Math.max(...cut.map((b) => b.y + b.h))));
      const before = canvas.scrollTop;
      if (up >= least) canvas.scrollTop = Math.max(0, up);
      else if (down <= most) canvas.scrollTop = down;
      if (canvas.scrollTop === before) break;
    }
    onMove();
  }

  // The part of the graph in view, in graph coordinates.
  function viewBox() {
    const b = picture.box;
    return {
      x: b.x + canvas.scrollLeft / scale,
      y: b.y + canvas.scrollTop / scale,
      w: canvasSize.width / scale,
      h: canvasSize.height / scale,
    };
  }

  // Whether an element (or several) is wholly in view (with a margin of CSS px), and clear of the pane's covered
  // corner (`c`).
  function shows(element, margin = 8, c = covered()) {
    const b = boxOf(element);
    const v = viewBox();
    const m = margin / scale;
    const inside = b.x >= v.x + m && b.y >= v.y + m && b.x + b.w <= v.x + v.w - m && b.y + b.h <= v.y + v.h - m;
    const under = (p) => p.x + p.w > v.x + v.w - c.width / scale && p.y + p.h > v.y + v.h - c.height / scale;
    return inside && !(c.width > 0 && (Array.isArray(element) ? element : [element]).map(boxOf).some(under));
  }

  // The canvas's size now (the page around it may have changed since the picture went in).
  function measure() {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width && height) canvasSize = { width, height };
  }

  // The scale at which the whole graph fits, and whether it fits at the scale shown.
  const fitting = () => {
    measure();
    return fitScale(full, canvasSize);
  };
  const fits = () => full.w * scale <= canvasSize.width + 0.5 && full.h * scale <= canvasSize.height + 0.5;

  function fit() {
    scale = Math.min(Math.max(fitting(), MIN_SCALE), MAX_SCALE);
    centerOnPoint(full.x + full.w / 2, full.y + full.h / 2);
    onZoom(scale);
  }

  // Shows the graph at `next` scale: whole and centred when it fits, else `focus` (an element) in view, as low in
  // the pane as it fits, so that what leads to it (above it) shows too: a forward graph opened on its loss shows
  // the ops that made it, not the empty room kept under the graph for the overview map. The pane's top edge cuts no
  // node (its name would hide under the pane's header): the view starts above that node, or under it, `focus`
  // staying in view.
  function open(next, focus = null) {
    measure();
    scale = Math.min(Math.max(next, MIN_SCALE), MAX_SCALE);
    centerOnPoint(full.x + full.w / 2, full.y + full.h / 2);
    if (fits()) return;
    if (!focus) {
      clearTop();
      return;
    }
    centerOn(focus);
    const b = boxOf(focus);
    const c = covered();
    const v = viewBox();
    const under = c.width > 0 && b.x + b.w > v.x + v.w - c.width / scale; // (beside the map: it must clear it)
    const room = canvasSize.height - 2 * MARGIN_PX - (under ? c.height : 0);
    const top = scrollOf(b.y + b.h) - room;
    if (b.h * scale <= room && top < canvas.scrollTop) canvas.scrollTop = Math.max(0, top);
    clearTop(top, scrollOf(b.y) - MARGIN_PX);
  }

  canvas.addEventListener("scroll", () => onMove(), { signal, passive: true });
  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : event.ctrlKey ? 0.01 : 0.002));
      zoom(factor, { x: event.clientX, y: event.clientY });
    },
    { passive: false, signal },
  );

  // One pointer drags (not a finger where the page scrolls: the browser scrolls it); two pinch (zoom at their middle,
  // pan with it).
  const pointers = new Map();
  let drag = null;
  let pinch = null;
  const pageScrolls = () => getComputedStyle(canvas).touchAction !== "none";
  const on = (type, handler) => canvas.addEventListener(type, handler, { signal });
  on("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 1) {
      const scrolls = event.pointerType === "touch" && pageScrolls();
      drag = scrolls ? null : { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
      delete canvas.dataset.dragged;
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = { distance: distance(a, b), middle: middle(a, b) };
      if (drag) drag.moved = true; // a pinch is no tap
    }
  });
  on("pointermove", (event) => {
    if (!pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pinch && pointers.size >= 2) {
      const [a, b] = [...pointers.values()];
      const d = distance(a, b);
      const m = middle(a, b);
      pan(m.x - pinch.middle.x, m.y - pinch.middle.y);
      if (pinch.distance > 0 && d > 0) zoom(d / pinch.distance, m);
      pinch = { distance: d, middle: m };
      canvas.dataset.dragged = "1";
      return;
    }
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 6) return;
    if (!drag.moved && canvas.setPointerCapture) {
      try {
        canvas.setPointerCapture(event.pointerId);
      } catch {
        // (a pointer the browser does not know: dragging works without capture)
      }
    }
    drag.moved = true;
    drag.x = event.clientX;
    drag.y = event.clientY;
    canvas.classList.add("dragging");
    pan(dx, dy);
  });
  const end = (event) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
    if (drag && drag.id === event.pointerId) {
      if (drag.moved) canvas.dataset.dragged = "1"; // the click that ends a drag opens nothing
      drag = null;
      canvas.classList.remove("dragging");
    }
  };
  on("pointerup", end);
  on("pointercancel", end);

  // Two fingers are the graph's: the page neither scrolls nor zooms under them (the pointer events above pinch). Touch
  // events pinch where no pointer events come (some synthetic and older touch sources). One finger that swipes where
  // the page scrolls is told, once a swipe, that two move the graph.
  let touchPinch = null;
  let swipe = null;
  const touchStarted = (event) => {
    const touch = event.touches[0];
    swipe = event.touches.length === 1 && pageScrolls() ? { x: touch.clientX, y: touch.clientY } : null;
  };
  canvas.addEventListener("touchstart", touchStarted, { signal, passive: true });
  const touchMoved = (event) => {
    if (event.touches.length === 1 && swipe) {
      const touch = event.touches[0];
      if (Math.hypot(touch.clientX - swipe.x, touch.clientY - swipe.y) > 10) {
        swipe = null;
        onOneFinger();
      }
    }
    if (event.touches.length !== 2) return;
    swipe = null;
    if (event.cancelable) event.preventDefault();
    if (pointers.size >= 2) return;
    const [a, b] = [...event.touches].map((t) => ({ x: t.clientX, y: t.clientY }));
    const d = distance(a, b);
    const m = middle(a, b);
    if (touchPinch && touchPinch.distance > 0 && d > 0) {
      pan(m.x - touchPinch.middle.x, m.y - touchPinch.middle.y);
      zoom(d / touchPinch.distance, m);
      canvas.dataset.dragged = "1";
    }
    touchPinch = { distance: d, middle: m };
  };
  canvas.addEventListener("touchmove", touchMoved, { signal, passive: false }); // (passive, it could not keep the page still)
  on("touchend", () => {
    touchPinch = null;
  });

  on("keydown", (event) => {
    if (event.target !== canvas) return; // keys on a focused node are the node's
    const step = 60;
    const actions = {
      "+": () => zoom(1.25),
      "=": () => zoom(1.25),
      "-": () => zoom(0.8),
      0: () => fit(),
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      event.stopPropagation(); // (the page's arrow keys step through backward)
      action();
    }
  });

  // A pane that changes size (the inspector opens, the window turns) keeps its scale and its centre: at once when
  // a node is to be brought into view (the page around it just changed), else when the browser says so.
  function resync() {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height || (width === canvasSize.width && height === canvasSize.height)) return;
    const point = centre();
    canvasSize = { width, height };
    layout(point, middleOfPane());
  }
  if (typeof ResizeObserver === "function") {
    const watch = new ResizeObserver(resync);
    watch.observe(canvas);
    signal.addEventListener("abort", () => watch.disconnect());
  }

  layout({ x: full.x + full.w / 2, y: full.y + full.h / 2 }, middleOfPane());
  return {
    zoomIn: () => zoom(1.25),
    zoomOut: () => zoom(0.8),
    fit,
    open,
    setScale,
    centerOn,
    centerOnPoint,
    reveal,
    relayout: () => layout(centre(), middleOfPane()), // (what covers the corner changed: the picture keeps room)
    shows,
    fits,
    fitting,
    boxOf,
    viewBox,
    get scale() {
      return scale;
    },
    get full() {
      return { ...full };
    },
    get pane() {
      return { ...canvasSize };
    },
  };
}
