// Graphviz for a document that carries its own (a notebook's outputs, a one-file run): Viz.js comes inside it,
// gzipped and base64-encoded (app/embed.py), and lays DOT out in a Web Worker started from a Blob of it and the
// page's own worker script (layout-worker.js, its importScripts line left out). Where a policy forbids such a
// worker (a notebook front end's CSP), Graphviz runs on the page's main thread instead.

// A document whose policy enforces Trusted Types names this one: it starts only the worker made here.
let madeUrl = null;
const workerUrls = globalThis.trustedTypes
  ? globalThis.trustedTypes.createPolicy("gradwalk-embed", {
      createScriptURL: (url) => {
        if (url !== madeUrl) throw new TypeError(`not gradwalk's layout worker: ${url}`);
        return url;
      },
    })
  : { createScriptURL: (url) => url };

async function gunzip(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

// `vizBase64`: viz-global.js, gzipped, in base64; `workerScript`: layout-worker.js without its importScripts.
export function makeLayout(vizBase64, workerScript) {
  let source = null; // Viz.js's text, once unpacked
  let worker = null; // the worker, while it works
  let local = null; // Viz on this thread, once the worker could not be used
  let seq = 0;
  const pending = new Map(); // seq -> {dot, resolve, started}

  // The worker lays its jobs out one at a time, in order: the first one waiting is the one it works on now, and its
  // pane's clock starts (`started`, once).
  function startFirst() {
    const first = pending.values().next().value;
    if (!worker || !first || !first.started) return;
    const started = first.started;
    first.started = null;
    started();
  }

  const unpacked = () => (source = source || gunzip(vizBase64));

  async function onThisThread(dot) {
    if (!local) {
      local = unpacked().then((text) => {
        // the module names Viz.js's UMD wrapper looks for are hidden, so that it sets globalThis.Viz
        new Function("define", "module", "exports", text)(undefined, undefined, undefined);
        return globalThis.Viz.instance();
      });
    }
    try {
      const viz = await local;
      const result = viz.render(dot, { format: "svg", engine: "dot" });
      if (result.status !== "success") {
        return { error: result.errors.map((e) => e.message).join("; ") || "Graphviz failed" };
      }
      return { svg: result.output };
    } catch (error) {
      return { error: String((error && error.message) || error) };
    }
  }

  function giveUpWorker() {
    if (worker) worker.terminate();
    worker = false; // never again
    const waiting = [...pending.values()];
    pending.clear();
    for (const { dot, resolve } of waiting) onThisThread(dot).then(resolve);
  }

  async function startWorker() {
    const text = await unpacked();
    try {
      madeUrl = URL.createObjectURL(new Blob([text, "\n", workerScript], { type: "text/javascript" }));
      worker = new Worker(workerUrls.createScriptURL(madeUrl));
    } catch {
      giveUpWorker();
      return;
    }
    worker.onmessage = (event) => {
      const job = pending.get(event.data.seq);
      pending.delete(event.data.seq);
      if (job) job.resolve(event.data);
      startFirst();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      giveUpWorker();
    };
    for (const [n, job] of pending) worker.postMessage({ seq: n, dot: job.dot });
    startFirst();
  }

  // `started()` is called once Graphviz starts on `dot` in the worker (never on this thread, where nothing can stop it).
  function layout(dot, started = null) {
    if (worker === false) return onThisThread(dot);
    return new Promise((resolve) => {
      const n = ++seq;
      pending.set(n, { dot, resolve, started });
      if (worker === null) {
        worker = undefined; // starting
        startWorker();
      } else if (worker) {
        worker.postMessage({ seq: n, dot });
        startFirst();
      }
    });
  }
  // Stops laying `dot` out (it took longer than the page allows, static/js/pane.js's LAYOUT_MAX_S): the worker is
  // ended and another one lays out the graphs still waiting. (On the page's thread nothing can stop it.)
  layout.drop = (dot) => {
    if (!worker) return;
    worker.terminate();
    worker = null;
    for (const [n, job] of pending) if (job.dot === dot) pending.delete(n);
    if (pending.size) {
      worker = undefined; // starting
      startWorker();
    }
  };
  return layout;
}
