"""Notebooks as the tests run them: made from the seed's examples or read from tests/notebooks/, executed by a real
Jupyter kernel (nbclient + ipykernel), and their outputs laid in one page as JupyterLab lays a trusted notebook's
outputs (each output's HTML set, then its scripts made again so that they run), to open in Chromium offline.

`python -m tests.notebooks run IN.ipynb OUT.ipynb [PAGE.html]` does the same for any notebook: executes it,
saves it with its outputs, prints its size, and writes the page of its outputs.
"""

import atexit
import functools
import json
import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from app.examples import EXAMPLES

HERE = Path(__file__).parent / "notebooks"
KERNEL = "gradwalk-tests"
SEED = EXAMPLES[:6]
# What a cell after each seed example prints of the variables the example left in the kernel.
AFTER = {
    "scalar": "print('after', x.grad.item(), y.item())",
    "vector": "print('after', x.grad.tolist())",
    "no-grad": "print('after', y.requires_grad, y.item())",
    "detach": "print('after', y.requires_grad, y_detached.requires_grad)",
    "linear-1d": "print('after', w.grad.item(), x.grad.item(), loss.item())",
    "linear-2d": "print('after', [round(v, 1) for v in W.grad.flatten().tolist()], round(b.grad.item(), 1))",
}


def seed_notebook(way: str) -> Any:
    """The six examples as a learner pastes them, each in a cell of its own: `%%gradwalk` cells (`way="magic"`)
    or `with gradwalk.record() as run:` blocks ending with `run` (`way="record"`); after each, a cell that
    prints what the example left in the kernel."""
    cells = [nbformat.v4.new_code_cell("%load_ext gradwalk")]
    if way == "record":
        cells.append(nbformat.v4.new_code_cell("import torch\nimport gradwalk"))
    for example in SEED:
        if way == "magic":
            cells.append(nbformat.v4.new_code_cell("%%gradwalk\n" + example.code))
        else:
            body = textwrap.indent(textwrap.dedent(example.code), "    ")
            cells.append(nbformat.v4.new_code_cell(f"with gradwalk.record() as run:\n{body}\nrun"))
        cells.append(nbformat.v4.new_code_cell(AFTER[example.id]))
    return _notebook(cells)


@functools.cache
def executed(way: str) -> Any:
    """The seed notebook made `way`, executed once per test session."""
    return execute(seed_notebook(way))


def _notebook(cells: list[Any]) -> Any:
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


@functools.cache
def kernel() -> str:
    """A kernel of this Python (ipykernel in this virtualenv), whatever kernels the machine or the user has:
    its spec and the kernels' connection files in a directory of its own."""
    home = Path(tempfile.mkdtemp(prefix="gradwalk-jupyter-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    spec = home / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(home), os.environ.get("JUPYTER_PATH")]))
    os.environ["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    return KERNEL


def execute(notebook: Any, timeout_s: int = 300) -> Any:
    """Run every cell in a fresh kernel of this Python (nbclient + ipykernel); a cell whose code raised fails."""
    NotebookClient(notebook, timeout=timeout_s, kernel_name=kernel()).execute()
    return notebook


def size(notebook: Any) -> int:
    """The notebook's size as saved (bytes)."""
    return len(nbformat.writes(notebook).encode())


def outputs(notebook: Any) -> list[dict[str, Any]]:
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


def texts(notebook: Any) -> str:
    """Everything the cells printed."""
    return "".join(output.get("text", "") for output in outputs(notebook) if output["output_type"] == "stream")


def outputs_page(notebook: Any) -> str:
    """One page showing each output's HTML in order as JupyterLab shows a trusted notebook's outputs."""
    shown = [o["data"]["text/html"] for o in outputs(notebook) if "text/html" in o.get("data", {})]
    data = json.dumps(shown).replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>notebook outputs</title></head>\n'
        '<body><main id="notebook"></main>\n'
        f'<script type="application/json" id="outputs">{data}</script>\n'
        "<script>\n"
        'for (const html of JSON.parse(document.getElementById("outputs").textContent)) {\n'
        '  const host = document.createElement("div");\n'
        '  host.className = "output";\n'
        "  host.innerHTML = html;\n"
        '  document.getElementById("notebook").append(host);\n'
        '  for (const script of [...host.getElementsByTagName("script")]) {\n'
        '    const clone = document.createElement("script");\n'
        "    for (const a of script.attributes) clone.setAttribute(a.name, a.value);\n"
        "    clone.textContent = script.textContent;\n"
        "    script.replaceWith(clone);\n"
        "  }\n"
        "}\n"
        "</script>\n</body></html>\n"
    )


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "run":
        print(__doc__, file=sys.stderr)
        return 2
    notebook = execute(nbformat.read(argv[1], as_version=4))
    nbformat.write(notebook, argv[2])
    print(f"{argv[2]}: {size(notebook)} bytes, {len(outputs(notebook))} outputs")
    if len(argv) > 3:
        Path(argv[3]).write_text(outputs_page(notebook), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
