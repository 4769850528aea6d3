// The server's answers the page draws from: a new run, a (folded) view of a stored run, and one of its graphs as
// the server's DOT (app/render.py: the page writes no DOT of its own). Failures throw an ApiError that says why.

import { parseJson } from "./format.js";

// A run id as the server makes them: only such an id goes into an address (app/graph.py's RUN_ID)
export const validId = (id) => typeof id === "string" && /^[0-9A-Za-z]{1,32}$/.test(id);

export class ApiError extends Error {
  constructor(status, detail, retryAfter) {
    super(detail);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// The query of a view: the page's fold budget and the groups it has opened.
export function viewQuery(fold, expand = []) {
  const query = new URLSearchParams({ fold: String(fold) });
  for (const group of expand) query.append("expand", group);
  return query;
}

async function answer(response, read) {
  if (response.ok) return read(response);
  const body = await response.json().catch(() => ({}));
  const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
  throw new ApiError(response.status, detail || response.statusText, response.headers.get("Retry-After"));
}

// One view or picture at a time per client: when the server says this client already has one under way (429),
// wait as long as it says and ask again, a few times.
async function patiently(request, tries = 3) {
  for (let i = 1; ; i++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429 || i >= tries) throw error;
      await new Promise((done) => setTimeout(done, 1000 * (Number(error.retryAfter) || 1)));
    }
  }
}

export async function createRun(code, fold) {
  const response = await fetch(`/api/runs?fold=${fold}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code }),
  });
  return answer(response, async (r) => parseJson(await r.text()));
}

export function readView(id, query) {
  return patiently(async () => answer(await fetch(`/api/runs/${id}?${query}`), async (r) => parseJson(await r.text())));
}

// `formulas`: the language of the local derivatives written on backward nodes (null: none).
export function readDot(id, view, query, formulas = null) {
  const asked = new URLSearchParams(query);
  if (formulas && view === "backward") asked.set("formulas", formulas);
  return patiently(async () => answer(await fetch(`/api/runs/${id}/${view}.dot?${asked}`), (r) => r.text()));
}
