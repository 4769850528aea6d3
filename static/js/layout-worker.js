// Lays out one DOT graph at a time with Graphviz compiled to WebAssembly (Viz.js, from npm), off the page's
// main thread: the page stays responsive while a large graph is placed.
importScripts("/static/vendor/viz/viz-global.js");

const ready = Viz.instance();

self.onmessage = async (event) => {
  const { seq, dot } = event.data;
  const started = performance.now();
  try {
    const viz = await ready;
    const result = viz.render(dot, { format: "svg", engine: "dot" });
    if (result.status !== "success") {
      const message = result.errors.map((e) => e.message).join("; ") || "Graphviz failed";
      self.postMessage({ seq, error: message });
      return;
    }
    self.postMessage({ seq, svg: result.output, ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ seq, error: String((error && error.message) || error) });
  }
};
