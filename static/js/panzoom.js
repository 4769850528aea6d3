// Pan and zoom for one drawn graph by moving its SVG viewBox: wheel or pinch zooms at the pointer, dragging
// pans, keys + - 0 and the arrows do the same from the keyboard.

const MAX_FIT_SCALE = 1.5; // a three-node graph is not blown up to fill the pane

// `size` is the canvas's size, measured before the picture went in (measuring after would force a layout).
export function panZoom(svg, canvas, size, signal) {
  const box = svg.viewBox.baseVal;
  const full = { x: box.x, y: box.y, w: box.width, h: box.height };
  let view = { ...full };
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", "100%");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");

  const apply = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);

  function scale() {
    const rect = svg.getBoundingClientRect();
    return Math.min(rect.width / view.w, rect.height / view.h) || 1;
  }

  function toGraph(clientX, clientY) {
    const rect = svg.getBoundingClientRect();
    const s = scale();
    const offsetX = (rect.width - view.w * s) / 2;
    const offsetY = (rect.height - view.h * s) / 2;
    return { x: view.x + (clientX - rect.left - offsetX) / s, y: view.y + (clientY - rect.top - offsetY) / s };
  }

  function zoom(factor, at) {
    const rect = svg.getBoundingClientRect();
    const point = at || toGraph(rect.left + rect.width / 2, rect.top + rect.height / 2);
    const w = Math.min(Math.max(view.w / factor, full.w / 200), full.w * 4 + 1000);
    const ratio = w / view.w;
    view = {
      x: point.x - (point.x - view.x) * ratio,
      y: point.y - (point.y - view.y) * ratio,
      w,
      h: view.h * ratio,
    };
    apply();
  }

  function fit(measured) {
    const rect = measured || svg.getBoundingClientRect();
    const s = Math.min(rect.width / full.w, rect.height / full.h);
    if (rect.width && s > MAX_FIT_SCALE) {
      const w = rect.width / MAX_FIT_SCALE;
      const h = rect.height / MAX_FIT_SCALE;
      view = { x: full.x + (full.w - w) / 2, y: full.y + (full.h - h) / 2, w, h };
    } else {
      view = { ...full };
    }
    apply();
  }

  function pan(dx, dy) {
    const s = scale();
    view.x -= dx / s;
    view.y -= dy / s;
    apply();
  }

  function centerOn(element) {
    const b = element.getBBox();
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    // graph coordinates of the node: Graphviz puts everything under a translated <g>
    const g = svg.querySelector("g.graph");
    const m = g && g.transform.baseVal.consolidate();
    const tx = m ? m.matrix.e : 0;
    const ty = m ? m.matrix.f : 0;
    view.x = cx + tx - view.w / 2;
    view.y = cy + ty - view.h / 2;
    apply();
  }

  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002));
      zoom(factor, toGraph(event.clientX, event.clientY));
    },
    { passive: false, signal },
  );

  let drag = null;
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
    delete canvas.dataset.dragged;
  }, { signal });
  canvas.addEventListener("pointermove", (event) => {
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) canvas.setPointerCapture(event.pointerId);
    drag.moved = true;
    drag.x = event.clientX;
    drag.y = event.clientY;
    canvas.classList.add("dragging");
    pan(dx, dy);
  }, { signal });
  const end = () => {
    if (drag && drag.moved) canvas.dataset.dragged = "1"; // the click that ends a drag opens nothing
    drag = null;
    canvas.classList.remove("dragging");
  };
  canvas.addEventListener("pointerup", end, { signal });
  canvas.addEventListener("pointercancel", end, { signal });

  canvas.addEventListener("keydown", (event) => {
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
      action();
    }
  }, { signal });

  fit(size);
  return { zoomIn: () => zoom(1.25), zoomOut: () => zoom(0.8), fit: () => fit(), centerOn };
}
