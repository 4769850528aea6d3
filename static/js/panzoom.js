// Pan and zoom for one drawn graph by moving its SVG viewBox, at an absolute scale (CSS px per graph unit, so the
// page can draw both panes at one scale and labels at a size it chooses): wheel, trackpad or two-finger pinch zooms
// at the fingers, dragging pans, keys + - 0 and the arrows do the same from the keyboard. A resized pane keeps its
// scale and its centre.

const MIN_SCALE = 0.05;
const MAX_SCALE = 8;

// The viewBox that shows `view` (its centre and scale) in a canvas of `size` CSS px.
export function viewBoxOf(view, size) {
  const w = size.width / view.scale;
  const h = size.height / view.scale;
  return { x: view.cx - w / 2, y: view.cy - h / 2, w, h };
}

// The scale at which `full` (a graph's box) fits in `size`.
export function fitScale(full, size) {
  if (!full.w || !full.h || !size.width || !size.height) return 1;
  return Math.min(size.width / full.w, size.height / full.h);
}

const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

// `size` is the canvas's size, measured before the picture went in (measuring after would force a layout).
// `onZoom(scale)` is told of every change of scale the person makes; `onMove()` of every change at all.
export function panZoom(svg, canvas, size, signal, { onZoom = () => {}, onMove = () => {} } = {}) {
  const box = svg.viewBox.baseVal;
  const full = { x: box.x, y: box.y, w: box.width, h: box.height };
  let canvasSize = { width: size.width || 1, height: size.height || 1 };
  let view = { cx: full.x + full.w / 2, cy: full.y + full.h / 2, scale: 1 };
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", "100%");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");

  const apply = () => {
    const b = viewBoxOf(view, canvasSize);
    svg.setAttribute("viewBox", `${b.x} ${b.y} ${b.w} ${b.h}`);
    svg.dataset.scale = String(view.scale);
    onMove();
  };

  // graph coordinates of a point on the screen
  function toGraph(clientX, clientY) {
    const rect = canvas.getBoundingClientRect();
    const b = viewBoxOf(view, canvasSize);
    return { x: b.x + (clientX - rect.left) / view.scale, y: b.y + (clientY - rect.top) / view.scale };
  }

  function setScale(scale, at = null) {
    const next = Math.min(Math.max(scale, MIN_SCALE), MAX_SCALE);
    if (at) {
      // the graph point under `at` stays where it is
      view.cx = at.x + (view.cx - at.x) * (view.scale / next);
      view.cy = at.y + (view.cy - at.y) * (view.scale / next);
    }
    view.scale = next;
    apply();
  }

  function zoom(factor, at = null) {
    setScale(view.scale * factor, at);
    onZoom(view.scale);
  }

  function pan(dx, dy) {
    view.cx -= dx / view.scale;
    view.cy -= dy / view.scale;
    apply();
  }

  // the graph box of a drawn element (a node), in the graph's own coordinates
  function boxOf(element) {
    const b = element.getBBox();
    const g = svg.querySelector("g.graph");
    const m = g && g.transform.baseVal.consolidate();
    const tx = m ? m.matrix.e : 0;
    const ty = m ? m.matrix.f : 0;
    return { x: b.x + tx, y: b.y + ty, w: b.width, h: b.height };
  }

  function centerOn(element) {
    const b = boxOf(element);
    view.cx = b.x + b.w / 2;
    view.cy = b.y + b.h / 2;
    apply();
  }

  // Whether an element is wholly in view (with a margin of CSS px).
  function shows(element, margin = 8) {
    const b = boxOf(element);
    const v = viewBoxOf(view, canvasSize);
    const m = margin / view.scale;
    return b.x >= v.x + m && b.y >= v.y + m && b.x + b.w <= v.x + v.w - m && b.y + b.h <= v.y + v.h - m;
  }

  function centerOnPoint(x, y) {
    view.cx = x;
    view.cy = y;
    apply();
  }

  // The scale at which the whole graph fits, and whether it fits at the scale shown.
  const fitting = () => {
    measure();
    return fitScale(full, canvasSize);
  };
  const fits = () => view.scale <= fitting() + 1e-9;

  function fit() {
    view = { cx: full.x + full.w / 2, cy: full.y + full.h / 2, scale: view.scale };
    setScale(fitting());
    onZoom(view.scale);
  }

  // The canvas's size now (the page around it may have changed since the picture went in).
  function measure() {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width && height) canvasSize = { width, height };
  }

  // Shows the whole graph centred at `scale` when it fits, else `focus` (an element) centred.
  function open(scale, focus = null) {
    measure();
    view = { cx: full.x + full.w / 2, cy: full.y + full.h / 2, scale };
    apply();
    if (!fits() && focus) centerOn(focus);
  }

  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : event.ctrlKey ? 0.01 : 0.002));
      zoom(factor, toGraph(event.clientX, event.clientY));
    },
    { passive: false, signal },
  );

  // One pointer drags; two pinch (zoom at their middle, pan with it).
  const pointers = new Map();
  let drag = null;
  let pinch = null;
  const on = (type, handler) => canvas.addEventListener(type, handler, { signal });
  on("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 1) {
      drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
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
      if (pinch.distance > 0 && d > 0) zoom(d / pinch.distance, toGraph(m.x, m.y));
      pinch = { distance: d, middle: m };
      canvas.dataset.dragged = "1";
      return;
    }
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 6) return;
    if (!drag.moved && canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
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

  // Touch events where no pointer events come (some synthetic and older touch sources): two fingers pinch.
  let touchPinch = null;
  on("touchmove", (event) => {
    if (event.touches.length !== 2 || pointers.size >= 2) return;
    event.preventDefault();
    const [a, b] = [...event.touches].map((t) => ({ x: t.clientX, y: t.clientY }));
    const d = distance(a, b);
    const m = middle(a, b);
    if (touchPinch && touchPinch.distance > 0 && d > 0) {
      pan(m.x - touchPinch.middle.x, m.y - touchPinch.middle.y);
      zoom(d / touchPinch.distance, toGraph(m.x, m.y));
      canvas.dataset.dragged = "1";
    }
    touchPinch = { distance: d, middle: m };
  });
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

  // A pane that changes size (the inspector opens, the window turns) keeps its scale and its centre.
  if (typeof ResizeObserver === "function") {
    const watch = new ResizeObserver(() => {
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (!width || !height || (width === canvasSize.width && height === canvasSize.height)) return;
      canvasSize = { width, height };
      apply();
    });
    watch.observe(canvas);
    signal.addEventListener("abort", () => watch.disconnect());
  }

  apply();
  return {
    zoomIn: () => zoom(1.25),
    zoomOut: () => zoom(0.8),
    fit,
    open,
    setScale,
    centerOn,
    centerOnPoint,
    shows,
    fits,
    fitting,
    boxOf,
    get scale() {
      return view.scale;
    },
    get full() {
      return { ...full };
    },
    viewBox: () => viewBoxOf(view, canvasSize),
  };
}
