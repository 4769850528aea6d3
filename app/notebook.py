"""gradwalk in Jupyter (IPython's extension; `pip install gradwalk[notebook]`): `%load_ext gradwalk`, then a
`%%gradwalk` cell runs in the kernel's own namespace under the recorder (the user's own code: no sandbox) and
shows both graphs inline; a Run that ends a cell shows itself the same way.

What a notebook keeps small: the viewer, with Graphviz inside (Viz.js, about 0.7 MB), goes into the first gradwalk
output of a kernel's session only (`%load_ext gradwalk` shows it); every run's output then carries only its data
(the run or its folded view and the DOT of its graphs) and a static picture of the graphs drawn by Graphviz `dot`
in the kernel, which front ends that run no script (a notebook not trusted, a preview on a code host) show.
Classic Notebook, JupyterLab and VS Code put every output of a notebook in one document, so later outputs find
the viewer the first one loaded.

IPython is imported only by what needs it: `import gradwalk` works without it.
"""

import ast
import contextlib
import html
import io
import re
import tokenize
from typing import TYPE_CHECKING, Any

from .embed import ViewerMissing, embedded_data, engine_html, pictures, run_html
from .fold import fold_run

if TYPE_CHECKING:
    from . import graph
    from .recording import Run

FOLD_NODES = 300  # graphs with more nodes open folded in a notebook (a notebook keeps every output it shows)
LAST_VALUE = "_gradwalk_value"  # where a %%gradwalk cell's last expression is kept for showing (then deleted)
OPTIONS: dict[str, Any] = {"lang": None, "fold": FOLD_NODES}  # this kernel's defaults: `%gradwalk --lang ko`
# Whether the viewer was shown in this kernel's session, the cell running now and the cell whose output holds the
# viewer (front ends that send a cell's id: JupyterLab, Notebook 7, VS Code).
_session: dict[str, Any] = {"engine_shown": False, "cell": None, "viewer_cell": None}
_LOAD_EXT = re.compile(r"^\s*%(load_ext|reload_ext)\s+gradwalk\s*$", re.MULTILINE)


def in_notebook() -> bool:
    """Whether this runs in an IPython kernel with a front end that shows rich output."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _engine() -> str:
    """The viewer's HTML, the first time in this session; then nothing."""
    from .recording import settings

    _follow_cells()
    if _session["engine_shown"]:
        return ""
    try:
        made = engine_html(settings().static_path())
    except ViewerMissing as missing:
        _session["missing"] = str(missing)
        return ""  # the static picture is what there is
    _session["engine_shown"], _session["viewer_cell"] = True, _session["cell"] or _running_cell()
    return made


def _follow_cells() -> None:
    """Have cell_starts called as each cell starts, from the first output on: `gradwalk.record()` shows runs with no
    `%load_ext gradwalk`."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and cell_starts not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", cell_starts)


def _running_cell() -> str | None:
    """The id of the cell running now, as its front end sent it (IPython keeps it for the cell's result)."""
    from IPython import get_ipython

    shell = get_ipython()
    result = getattr(getattr(shell, "displayhook", None), "exec_result", None)
    return getattr(getattr(result, "info", None), "cell_id", None)


def cell_starts(info: Any) -> None:
    """IPython's pre_run_cell event: a cell runs. When it is the cell whose output holds the viewer (run again, its
    outputs are replaced) or a cell loading gradwalk again (`%load_ext gradwalk` in Run All, in the same kernel: IPython
    does not load it twice), the viewer goes into the next gradwalk output again: else the notebook saved after that
    had no viewer, and opened again showed only pictures."""
    cell = getattr(info, "cell_id", None)
    _session["cell"] = cell
    again = cell is not None and cell == _session["viewer_cell"]
    if again or _LOAD_EXT.search(getattr(info, "raw_cell", None) or ""):
        _session["engine_shown"] = False


def display_bundle(bundle: dict[str, Any]) -> None:
    """Show a mime bundle as this cell's output."""
    from IPython.display import display

    display(bundle, raw=True)


def show_viewer() -> None:
    """Show the viewer (with Graphviz inside) in this notebook now: `%load_ext gradwalk` does."""
    from IPython.display import display

    _session["engine_shown"] = False
    made = _engine()
    if not made and "missing" in _session:  # (said, not hidden behind "loaded": every output would wait for it)
        said = f"gradwalk: the interactive viewer is missing, outputs show pictures only: {_session['missing']}"
        display({"text/html": f"<pre>{html.escape(said)}</pre>", "text/plain": said}, raw=True)
        return
    display({"text/html": made, "text/plain": "gradwalk: the interactive viewer is loaded"}, raw=True)


_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def side_by_side(drawn: dict[str, bytes]) -> str | None:
    """Both pictures in one SVG (forward left, backward right), for `image/svg+xml`."""
    parts, x, height = [], 0.0, 0.0
    for svg in drawn.values():
        text = svg.decode()
        text = text[text.index("<svg") :]
        size = _SIZE.search(text)
        if size is None:
            return None
        width, tall = float(size.group(1)), float(size.group(2))
        parts.append(_SIZE.sub(f'<svg x="{x}" width="{width}" height="{tall}"', text, count=1))
        x, height = x + width + 20, max(height, tall)
    if not parts:
        return None
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{x - 20}pt" height="{height}pt" viewBox="0 0 {x - 20} {height}">' + "".join(parts) + "</svg>"
    )


def _nodes(run: "graph.Run") -> int:
    return len(run.forward.nodes) + len(run.backward.nodes)


def mimebundle(run: "Run", *, fold: int | None = None, lang: str | None = None) -> dict[str, Any]:
    """A run as a notebook output: `text/html` (the viewer draws it; a static picture where no script runs),
    `image/svg+xml` (both graphs, drawn by Graphviz in the kernel, when it is there) and `text/plain`. Within
    GRADWALK_NOTEBOOK_OUTPUT_MAX_BYTES: while it is over, folded to half as many nodes (or fewer than its largest
    graph has) as long as that makes it smaller, unless `fold` was asked for; its views made ahead within it."""
    from .recording import settings

    budget, limit = fold or OPTIONS["fold"], settings().notebook_output_max_bytes
    while True:
        shown = fold_run(run, budget)
        drawn = pictures(shown, settings())
        picture = side_by_side(drawn)
        pictured = len(picture or "") + sum(len(svg) * 4 // 3 for svg in drawn.values())  # (and base64 in the HTML)
        data = embedded_data(run, settings(), fold=budget, lang=lang or OPTIONS["lang"], max_bytes=limit - pictured)
        if fold or len(data) + pictured <= limit:
            break
        smaller = min(budget // 2, max(len(shown.forward.nodes), len(shown.backward.nodes)) - 1)
        if smaller < 1 or _nodes(fold_run(run, smaller)) >= _nodes(shown):
            break  # (folding no further makes it smaller)
        budget = smaller
    bundle: dict[str, Any] = {
        "text/plain": repr(run),
        "text/html": _engine() + run_html(data, run, drawn, bootstrap=True),
    }
    if picture is not None:
        bundle["image/svg+xml"] = picture
    return bundle


def _ends_with_semicolon(source: str) -> bool:
    """Whether the code's last token (past comments and blank lines) is `;`: IPython shows no value then."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    quiet = (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    last = next((token for token in reversed(tokens) if token.type not in quiet), None)
    return last is not None and last.type == tokenize.OP and last.string == ";"


def _split_last_expression(source: str) -> ast.Module:
    """The cell's code, its last expression (if it ends with one, not hidden by a `;` after it) kept in LAST_VALUE
    to show, as IPython would."""
    tree = ast.parse(source)
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not _ends_with_semicolon(source):
        last = tree.body[-1]
        keep = ast.Assign(targets=[ast.Name(LAST_VALUE, ast.Store())], value=last.value)
        tree.body[-1] = ast.copy_location(keep, last)
        ast.fix_missing_locations(tree)
    return tree


def run_cell(shell: Any, cell: str, *, fold: int | None, lang: str | None, reraise: bool) -> "Run":
    """Run a %%gradwalk cell's code in the kernel's namespace under the recorder: its variables stay, what it
    prints is shown, its last expression too; an error is shown as IPython shows it and in the Run (with the
    partial graphs). Returns the Run (IPython shows it as the cell's result)."""
    from .capture.block import capture_cell
    from .recording import as_run, settings

    source = shell.transform_cell(cell)
    filename = shell.compile.cache(source, shell.execution_count, raw_code=cell)
    try:
        tree: ast.Module | None = _split_last_expression(source)
    except (SyntaxError, ValueError):
        tree = None  # capture_cell compiles the source again and reports the error as the page does
    namespace = shell.user_ns
    made, raised = capture_cell(
        source, namespace, filename=filename, tree=tree, hidden=frozenset([LAST_VALUE]), **settings().capture_limits()
    )
    run = as_run(made, cell)
    value = namespace.pop(LAST_VALUE, None)
    if raised is not None:
        if isinstance(raised, KeyboardInterrupt) or reraise:
            raise raised
        traceback = raised.__traceback__
        while traceback is not None and traceback.tb_frame.f_code.co_filename != filename:
            traceback = traceback.tb_next
        shell.showtraceback((type(raised), raised, traceback or raised.__traceback__))
    elif value is not None:
        from IPython.display import display

        display(value)
    return run


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext gradwalk`: the %%gradwalk cell magic and %gradwalk options; shows the viewer."""
    from IPython.core.magic import Magics, line_cell_magic, magics_class
    from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

    @magics_class
    class GradwalkMagics(Magics):
        @magic_arguments()
        @argument("--lang", choices=("en", "ko", "auto"), help="the language of the viewer (default: the browser's)")
        @argument("--fold", type=int, help=f"graphs with more nodes open folded (default {FOLD_NODES})")
        @argument("--raise", dest="reraise", action="store_true", help="an error in the cell fails the cell")
        @argument("--viewer", action="store_true", help="(line) show the viewer again in this notebook")
        @line_cell_magic
        def gradwalk(self, line: str, cell: str | None = None) -> Any:
            """%%gradwalk: run the cell in this kernel's namespace and show its forward and backward graphs, with
            every value and gradient (your own code: no sandbox). %gradwalk --lang ko sets the language of
            every later output; %gradwalk --viewer shows the viewer again (after its output was cleared)."""
            args = parse_argstring(self.gradwalk, line)
            lang = None if args.lang == "auto" else args.lang
            if cell is None:
                if args.lang:
                    OPTIONS["lang"] = lang
                if args.fold:
                    OPTIONS["fold"] = args.fold
                if args.viewer:
                    show_viewer()
                return None
            run = run_cell(self.shell, cell, fold=args.fold, lang=lang, reraise=args.reraise)
            if args.fold or lang:
                from IPython.display import display

                display(mimebundle(run, fold=args.fold, lang=lang), raw=True)
                return None
            return run

    ipython.register_magics(GradwalkMagics)
    if cell_starts not in ipython.events.callbacks["pre_run_cell"]:
        ipython.events.register("pre_run_cell", cell_starts)
    if in_notebook():
        show_viewer()


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext gradwalk`: the magics stay registered (IPython has no way to take them back); its event goes."""
    with contextlib.suppress(ValueError):
        ipython.events.unregister("pre_run_cell", cell_starts)
