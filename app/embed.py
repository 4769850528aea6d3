"""The viewer in a document of its own, with no server and no network: a notebook's outputs and the one-file run
(`gradwalk capture --format html`, `GET /api/runs/{id}.html`).

- `viewer_script` bundles the page's own modules (static/js, from static/js/embed.js) into one classic script,
  with Viz.js (Graphviz in WebAssembly, gzipped, base64) inside: the layout engine, loaded once per document.
- `run_html` is one embedded run: a static picture of both graphs (Graphviz `dot`, when it is installed), shown
  where no script runs, and the run's data as JSON (the Run or its folded view, the server's DOT of both graphs,
  and the views of its folded groups made ahead), which the viewer draws.
- `engine_html` is the viewer for a notebook (its first output); `standalone_html` the one file, whose
  Content-Security-Policy allows only its own script and style (by hash) and its layout worker.

Every string of a run goes into these documents as JSON inside a <script> element (app/inline.py) or as
escaped text; nothing of a run is ever markup.
"""

import base64
import functools
import gzip
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

import msgspec

from .apart import Apart
from .fold import fold_run
from .graph import GroupNode, Run, encode
from .inline import html_text, inline_json
from .render import LANGUAGES, VIEWS, RenderError, render, to_dot, too_dense
from .settings import Settings

DATA_VERSION = 1  # of the embedded data; static/js/embed.js reads this version only
ENTRY = "embed.js"
AHEAD_GROUPS = 12  # folded groups whose opened view is made ahead, at most
AHEAD_BYTES = 1 << 20  # and at most this much of them
TRUSTED_TYPES = "gradwalk-worker gradwalk-svg gradwalk-embed"  # the policies the bundled modules make


class ViewerMissing(RuntimeError):
    """The viewer's files are not installed (static/js, and static/vendor from `make install`)."""


# -- the bundle ---------------------------------------------------------------------------------------------------

_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w.-]+\.js)";?[ \t]*$', re.MULTILINE)
_EXPORT = re.compile(r"^export\s+(?=(?:async\s+)?function\s|class\s|const\s|let\s)", re.MULTILINE)
_EXPORTED = re.compile(r"^(?:async\s+)?(?:function\s*\*?|class|const|let)\s+([A-Za-z_$][\w$]*)")
_EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\};?[ \t]*$", re.MULTILINE)
_WORKER_IMPORT = re.compile(r"^importScripts\([^)]*\);?[ \t]*\n", re.MULTILINE)


class TooBigToEmbed(ValueError):
    """The run's view is more JSON than a document may carry inline (413)."""


class Module(NamedTuple):
    name: str
    imports: list[tuple[str, list[tuple[str, str]]]]  # (module, [(exported name, local name)])
    body: str  # without its import lines and `export` keywords
    exports: list[str]


def _parse_module(name: str, text: str) -> Module:
    """One of gradwalk's own ES modules, read for bundling: `import { a, b as c } from "./m.js";` lines and
    `export` before a declaration or of a list. Anything else of the module syntax is refused."""
    imports = []
    for names, module in _IMPORT.findall(text):
        pairs = []
        for spec in filter(None, (part.strip() for part in names.split(","))):
            exported, _, local = spec.partition(" as ")
            pairs.append((exported.strip(), (local or exported).strip()))
        imports.append((module, pairs))
    body = _IMPORT.sub("", text)
    exports = [m.group(1) for m in (_EXPORTED.match(body[e.end() :]) for e in _EXPORT.finditer(body)) if m]
    body = _EXPORT.sub("", body)
    for listed in _EXPORT_LIST.findall(body):
        exports += [part.strip() for part in listed.split(",") if part.strip()]
    body = _EXPORT_LIST.sub("", body)
    if re.search(r"^\s*(import|export)\b", body, re.MULTILINE) or "import(" in body or "import.meta" in body:
        raise ViewerMissing(f"static/js/{name} uses module syntax the bundler does not read")
    return Module(name, imports, body, exports)


def _ordered(js: Path, entry: str) -> list[Module]:
    """The modules `entry` needs, each after those it imports."""
    done: dict[str, Module] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            raise ViewerMissing(f"static/js modules import each other in a circle: {' -> '.join((*path, name))}")
        try:
            module = _parse_module(name, (js / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ViewerMissing(f"static/js/{name} is missing") from None
        for imported, _ in module.imports:
            visit(imported, (*path, name))
        done[name] = module

    visit(entry, ())
    return list(done.values())


def _js_string(text: str) -> str:
    """A JavaScript string literal of `text` that is safe inside a <script> element."""
    return inline_json(json.dumps(text).encode())


def _bundle(js: Path, viz: Path) -> tuple[str, str]:
    """(the bundle's script, its version)."""
    parts = ['(function () {\n"use strict";\nconst modules = {};\n']
    for module in _ordered(js, ENTRY):
        lines = [f"modules[{json.dumps(module.name)}] = (function () {{\n"]
        for imported, pairs in module.imports:
            names = ", ".join(a if a == b else f"{a}: {b}" for a, b in pairs)
            lines.append(f"const {{ {names} }} = modules[{json.dumps(imported)}];\n")
        lines += [module.body, f"\nreturn {{ {', '.join(module.exports)} }};\n}})();\n"]
        parts += lines
    code = "".join(parts)
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise ViewerMissing("a static/js module holds `</script` or `<!--`: it cannot be inlined in a page")
    worker, found = _WORKER_IMPORT.subn("", (js / "layout-worker.js").read_text(encoding="utf-8"))
    if found != 1:
        raise ViewerMissing("static/js/layout-worker.js no longer loads Viz.js with one importScripts line")
    try:
        packed = base64.b64encode(gzip.compress(viz.read_bytes(), compresslevel=9, mtime=0)).decode()
    except FileNotFoundError:
        raise ViewerMissing(f"{viz} is missing: `make install` (npm run vendor) copies Viz.js there") from None
    version = hashlib.sha256((code + worker + packed).encode()).hexdigest()[:16]
    start = f"modules[{json.dumps(ENTRY)}].start({json.dumps(version)}, {json.dumps(packed)}, {_js_string(worker)});"
    check = (
        "const known = globalThis.gradwalkViewer;\n"
        f"if (known && known.version === {json.dumps(version)}) {{ known.mountAll(); return; }}\n"
    )
    return parts[0] + check + code[len(parts[0]) :] + start + "\n})();\n", version


def _stamp(static: Path) -> tuple[tuple[str, float], ...]:
    files = [*sorted((static / "js").glob("*.js")), static / "vendor" / "viz" / "viz-global.js"]
    files += [static / "gradwalk.css", static / "embed.css"]
    return tuple((str(path), path.stat().st_mtime if path.exists() else 0.0) for path in files)


@functools.lru_cache(maxsize=4)
def _made(static: Path, stamp: tuple[tuple[str, float], ...]) -> tuple[str, str, str]:
    script, version = _bundle(static / "js", static / "vendor" / "viz" / "viz-global.js")
    try:
        css = scoped_css((static / "gradwalk.css").read_text(encoding="utf-8"), ".gw-embed")
        css += "\n" + (static / "embed.css").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ViewerMissing(f"{exc.filename} is missing") from None
    if "</" in css:
        raise ViewerMissing("the stylesheets hold `</`: they cannot be inlined in a page")
    return script, version, css


def viewer_script(static: Path) -> tuple[str, str]:
    """The viewer as one classic script, Graphviz inside, and its version. It defines `gradwalkViewer` (once per
    version in a document) and draws the document's embedded runs. Made again when a file changes."""
    script, version, _ = _made(static, _stamp(static))
    return script, version


def viewer_css(static: Path) -> str:
    """The viewer's stylesheet: the page's (static/gradwalk.css) scoped to `.gw-embed`, then static/embed.css."""
    return _made(static, _stamp(static))[2]


def viewer_version(static: Path) -> str:
    """The viewer a one-file run made now carries, its script and its stylesheet: what a cached file is kept under
    (kept under the script's version alone, a file made before a change of the stylesheet was served after it), in 8
    characters: the name a file is stored under is at most 32 (app/store.py)."""
    _, version, css = _made(static, _stamp(static))
    return hashlib.sha256(f"{version}\n{css}".encode()).hexdigest()[:8]


# -- the stylesheet, scoped ---------------------------------------------------------------------------------------


def _blocks(css: str) -> list[tuple[str, str]]:
    """The top-level rules of a stylesheet as (prelude, body)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules, i = [], 0
    while True:
        opening = css.find("{", i)
        if opening < 0:
            break
        depth, j = 1, opening + 1
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        rules.append((css[i:opening].strip(), css[opening + 1 : j - 1]))
        i = j
    return rules


def _scope_selector(selector: str, scope: str) -> str | None:
    selector = selector.strip()
    if selector in (":root", "html"):
        return scope
    if selector == "body" or selector.startswith(("body ", "html ")):
        return None  # the document's own: not the embed's
    if selector.startswith(":"):
        return f"{scope} {selector}"
    return f"{scope} {selector}"


def _selector_list(prelude: str) -> list[str]:
    """A rule's selectors: split at its commas, not at those inside `:is(polygon, path)` or `[title="a, b"]`."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def scoped_css(css: str, scope: str) -> str:
    """`css` with every selector under `scope` (`:root` becomes the scope; rules for `body` are left out),
    through @media blocks; @keyframes kept as they are."""
    out = []
    for prelude, body in _blocks(css):
        if prelude.startswith("@media"):
            out.append(f"{prelude} {{\n{scoped_css(body, scope)}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude} {{{body}}}")
        else:
            selectors = [s for s in (_scope_selector(part, scope) for part in _selector_list(prelude)) if s]
            if selectors:
                out.append(f"{', '.join(selectors)} {{{body}}}")
    return "\n".join(out) + "\n"


# -- one embedded run ---------------------------------------------------------------------------------------------


def _query(budget: int, expand: list[str]) -> str:
    """A view's query as the page writes it (static/js/api.js viewQuery)."""
    return urlencode([("fold", str(budget)), *(("expand", group) for group in expand)])


def _view(run: Run, whole_elements: int, formulas: bool) -> dict[str, Any]:
    """A view's Run and the DOT of both its graphs; with `formulas`, the backward graph's DOT with each node's local
    derivative too, in either language (`backward.en`, `backward.ko`), as the page draws it by default."""
    dot = {view: to_dot(run, view, whole_elements) for view in VIEWS}
    if formulas:
        dot.update(_formula_dots(run, whole_elements))
    return {"run": msgspec.Raw(encode(run)), "dot": dot}


def _formula_dots(run: Run, whole_elements: int) -> dict[str, str]:
    return {f"backward.{lang}": to_dot(run, "backward", whole_elements, lang) for lang in LANGUAGES}


def _dot_bytes(view: dict[str, Any]) -> int:
    return sum(len(dot) for dot in view["dot"].values())


def embedded_data(
    run: Run,
    settings: Settings,
    *,
    fold: int,
    lang: str | None = None,
    open_code: bool = False,
    max_bytes: int | None = None,
) -> bytes:
    """The JSON an embedded run carries: the run's view folded to `fold` nodes (the run itself when within), the
    DOT of both its graphs (labels as the server writes them: GRADWALK_LABEL_WHOLE_ELEMENTS; the backward one also
    with each node's formula in either language, as the page draws it, while the whole stays within `max_bytes`),
    and the views with one of its folded groups opened, made ahead (AHEAD_GROUPS, at most AHEAD_BYTES of them, and
    while the whole stays within `max_bytes`)."""
    shown = fold_run(run, fold)
    whole = settings.label_whole_elements
    data: dict[str, Any] = {"version": DATA_VERSION, "lang": lang, "fold": fold, "open_code": open_code}
    data.update(_view(shown, whole, formulas=False))
    said = _formula_dots(shown, whole)  # (the graphs first; their formulas only where they fit)
    if max_bytes is None or len(data["run"]) + _dot_bytes(data) + sum(map(len, said.values())) <= max_bytes:
        data["dot"].update(said)
    formulas = "backward.en" in data["dot"]
    views, size = [], 0
    ahead_bytes = AHEAD_BYTES
    if max_bytes is not None:
        ahead_bytes = min(ahead_bytes, max_bytes - len(data["run"]) - _dot_bytes(data))
    groups = [node.id for node in shown.forward.nodes if isinstance(node, GroupNode)][:AHEAD_GROUPS]
    for group in groups:
        opened = fold_run(run, fold, frozenset([group]))
        view = _view(opened, whole, formulas)
        size += len(view["run"]) + _dot_bytes(view)
        if size > ahead_bytes:
            break
        views.append({"query": _query(fold, [group]), **view})
    data["views"] = views
    return msgspec.json.encode(data)


def pictures(run: Run, settings: Settings, apart: Apart | None = None) -> dict[str, bytes]:
    """Both graphs of `run` drawn as SVG by Graphviz `dot` as `settings` say (the server's: in Graphviz's jail, as
    every picture the server draws; a recording's: as the user, app/recording.py); none when Graphviz is missing or
    a graph is empty or too big to draw. `apart`: where a big layout's labels are placed (app.render.place_labels)."""
    drawn: dict[str, bytes] = {}
    for view in VIEWS:
        graph = run.forward if view == "forward" else run.backward
        if not graph.nodes or len(graph.nodes) > settings.render_max_nodes:
            continue
        if too_dense(len(graph.nodes), len(graph.edges), settings.render_max_edges):
            continue
        try:
            dot = to_dot(run, view, settings.label_whole_elements)
            drawn[view] = render(dot, "svg", settings, apart)
        except (RenderError, OSError):
            continue
    return drawn


TITLES = {"forward": "Forward graph (순전파 그래프)", "backward": "Backward graph (역전파 그래프)"}


def _static(run: Run, drawn: dict[str, bytes], inline_style: bool) -> str:
    """What shows where no script runs: the outcome in words and the pictures."""
    counts = f"{len(run.forward.nodes)} forward / {len(run.backward.nodes)} backward nodes"
    said = [f"<p><b>gradwalk</b> · {html.escape(run.status)} · {counts}</p>"]
    if run.error is not None:
        where = f" (line {run.error.line})" if run.error.line else ""
        said.append(f"<p>{html_text(f'{run.error.type}: {run.error.message}{where}')}</p>")
    style = ' style="max-width:100%;height:auto"' if inline_style else ""
    for view, svg in drawn.items():
        source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
        said.append(f'<figure><figcaption>{TITLES[view]}</figcaption><img alt="{TITLES[view]}" src="{source}"{style}>')
        said.append("</figure>")
    if not drawn and (run.forward.nodes or run.backward.nodes):
        said.append("<p>(no picture: Graphviz `dot` was not found where this was made)</p>")
    return '<div class="gw-static">' + "".join(said) + "</div>"


def run_html(data: bytes, run: Run, drawn: dict[str, bytes], *, bootstrap: bool, inline_style: bool = True) -> str:
    """One embedded run: its static picture and its data, and (`bootstrap`) the few lines that ask the document's
    viewer to draw it, or say how to load the viewer when it is not there."""
    parts = [
        '<div class="gw-embed">',
        _static(run, drawn, inline_style),
        f'<script type="application/json" class="gw-data">{inline_json(data)}</script>',
    ]
    if bootstrap:
        parts.append(f"<script>{BOOTSTRAP}</script>")
    parts.append("</div>")
    return "".join(parts)


# The lines each notebook output runs: draw with the viewer the notebook loaded (its first gradwalk output); when
# that never comes (its output was cleared), say so under the static picture.
BOOTSTRAP = (
    "(function(){var v=window.gradwalkViewer;if(v){v.mountAll();return;}"
    "var s=document.currentScript,b=s&&s.parentNode;setTimeout(function(){"
    "if(window.gradwalkViewer||!b||b.dataset.mounted)return;var p=document.createElement('p');p.className='gw-note';"
    "p.textContent='gradwalk: the interactive view did not load. Run %load_ext gradwalk (or show a run) again "
    "in this notebook. / 대화형 보기를 불러오지 못했습니다: %load_ext gradwalk를 다시 "
    "실행하세요.';b.append(p);},5000);})();"
)


def engine_html(static: Path) -> str:
    """The viewer for a notebook, shown once (the first gradwalk output of a kernel's session): its stylesheet
    goes into the document's head, then it draws every embedded run there is and will be."""
    script, version = viewer_script(static)
    css = viewer_css(static)
    install = (
        "(function(){if(document.getElementById('gradwalk-style'))return;var s=document.createElement('style');"
        f"s.id='gradwalk-style';s.textContent={_js_string(css)};document.head.append(s);}})();"
    )
    note = '<small class="gw-loaded">gradwalk viewer · Graphviz (Viz.js) loaded for this notebook</small>'
    return f'<div class="gw-engine" data-version="{version}">{note}<script>{install}\n{script}</script></div>'


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def standalone_html(
    run: Run,
    settings: Settings,
    *,
    fold: int | None = None,
    lang: str | None = None,
    max_data_bytes: int | None = None,
    apart: Apart | None = None,
) -> str:
    """The one-file run: both graphs interactive, Graphviz inside, nothing loaded from anywhere. Its policy runs
    only its own scripts (by hash) and starts only its own layout worker. TooBigToEmbed when its data would be over
    `max_data_bytes` (inlined, each `<` of it takes six bytes). `apart`: as for `pictures`."""
    static = settings.static_path()
    script, _ = viewer_script(static)
    css = viewer_css(static)
    budget = fold or settings.page_fold_nodes
    data = embedded_data(run, settings, fold=budget, lang=lang, open_code=True, max_bytes=max_data_bytes)
    if max_data_bytes is not None and len(data) > max_data_bytes:
        raise TooBigToEmbed(
            f"the run's view is {len(data)} bytes of JSON, over GRADWALK_PAGE_INLINE_MAX_BYTES = {max_data_bytes}: "
            f"too big for one file; use its JSON (/api/runs/{run.id})"
        )
    drawn = pictures(fold_run(run, budget), settings, apart)
    body = run_html(data, run, drawn, bootstrap=False, inline_style=False)
    policy = (
        f"default-src 'none'; script-src {_hash(script)} 'wasm-unsafe-eval'; style-src {_hash(css)}; "
        "img-src data:; worker-src blob:; base-uri 'none'; form-action 'none'; "
        f"require-trusted-types-for 'script'; trusted-types {TRUSTED_TYPES}"
    )
    title = f"gradwalk · {run.id}" if run.id else "gradwalk run"
    # the language it is made in; else the reader's, which the viewer sets as it starts (its static picture: English)
    page_lang = "ko" if lang == "ko" else "en"
    return (
        f'<!doctype html>\n<html lang="{page_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body class="gw-file">\n{body}\n<script>{script}</script>\n</body>\n</html>\n'
    )
