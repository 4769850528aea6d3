"""Jupyter as learners use it, in a real kernel (nbclient + ipykernel): `%load_ext gradwalk`, the seed's six
examples through `%%gradwalk` and through `gradwalk.record()`, the variables they bind kept for the next cell,
one copy of the viewer per notebook, a static picture beside the interactive view, and a notebook that stays
small. (tests/browser/test_notebook.py opens the outputs in Chromium.)"""

import ast
import json
import re
from types import SimpleNamespace

import pytest
import torch
from IPython.core.events import EventManager, available_events

import gradwalk
from app import notebook, recording

from .notebooks import AFTER, SEED, executed, outputs, size, texts

slow = pytest.mark.slow  # two notebooks, each in a kernel of its own: about 20 s (make test runs them)
WAYS = ["magic", "record"]
MAX_NOTEBOOK_BYTES = 2 * 1024 * 1024
# What each example's next cell prints of the variables it left in the kernel (the tutorial's numbers).
PRINTED = {
    "scalar": "after 4.0 4.0",
    "vector": "after [2.0, 4.0, 6.0]",
    "no-grad": "after False 9.0",
    "detach": "after True False",
    "linear-1d": "after -2.0 -4.0 1.0",
    "linear-2d": "after [-73.3, -97.7, -122.1] -24.4",
}


@slow
@pytest.mark.parametrize("way", WAYS)
def test_variables_of_a_recorded_cell_are_there_in_the_next_cell(way: str):
    printed = texts(executed(way))
    assert set(PRINTED) == set(AFTER)
    for example in SEED:
        assert PRINTED[example.id] in printed
    assert "W에 대한 그래디언트" in printed  # what the examples print is shown as usual, Korean too


@slow
@pytest.mark.parametrize("way", WAYS)
def test_six_runs_show_html_and_a_picture_and_the_viewer_comes_once(way: str):
    notebook = executed(way)
    shown = [o["data"] for o in outputs(notebook) if "text/html" in o.get("data", {})]
    runs = [data for data in shown if 'class="gw-data"' in data["text/html"]]
    assert len(runs) == 6
    for data in runs:
        assert data["text/plain"].startswith("<gradwalk Run ")
        assert 'class="gw-static"' in data["text/html"]
    # every example but no_grad has a backward graph; each picture is Graphviz's
    assert sum("image/svg+xml" in data for data in runs) == 6
    assert sum("Viz.js" in data["text/html"] for data in shown) == 1  # the layout engine, once
    assert sum("gw-engine" in data["text/html"] for data in shown) == 1


@slow
@pytest.mark.parametrize("way", WAYS)
def test_the_notebook_with_six_runs_stays_small(way: str, report):
    made = size(executed(way))
    report(f"seed notebook ({way}) with six runs: {made} bytes ({made / 1024 / 1024:.2f} MiB)")
    assert made < MAX_NOTEBOOK_BYTES


@slow
@pytest.mark.parametrize("way", WAYS)
def test_each_output_carries_the_engines_explanations_with_the_runs_numbers(way: str):
    shown = [o["data"]["text/html"] for o in outputs(executed(way)) if "text/html" in o.get("data", {})]
    data = [json.loads(m) for html in shown for m in re.findall(r'class="gw-data">(.*?)</script>', html, re.DOTALL)]
    assert len(data) == 6
    scalar = {node["name"]: node["explain"] for node in data[0]["run"]["backward"]["nodes"]}
    assert scalar["PowBackward0"]["inputs"][0]["numbers"] == "1 · 2 · 2 = 4"
    linear = {node["name"]: node["explain"] for node in data[5]["run"]["backward"]["nodes"]}
    numbers = [i["numbers"] for i in linear["MmBackward0"]["inputs"]]
    assert "[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]" in numbers
    assert all(i["check"]["ok"] for i in linear["MmBackward0"]["inputs"])


def test_the_viewer_comes_again_after_its_cell_runs_again_or_gradwalk_is_loaded_again(monkeypatch):
    """Run All in the same kernel replaces the output that held the viewer (IPython does not load an extension
    twice): the next gradwalk output carries the viewer again, or the notebook saved after had none."""
    monkeypatch.setattr(notebook, "engine_html", lambda static: "VIEWER")
    monkeypatch.setattr(notebook, "_session", {"engine_shown": False, "cell": None, "viewer_cell": None})
    shell = SimpleNamespace(events=EventManager(None, available_events), register_magics=lambda magics: None)
    notebook.load_ipython_extension(shell)  # (no kernel here: the viewer waits for the first output)

    def run_cell(cell_id: str | None, raw_cell: str = "%%gradwalk\ny = x * 2") -> str:
        shell.events.trigger("pre_run_cell", SimpleNamespace(cell_id=cell_id, raw_cell=raw_cell))
        return notebook._engine()

    assert [run_cell("a"), run_cell("b"), run_cell("a"), run_cell("b"), run_cell("c")] == [
        "VIEWER",
        "",
        "VIEWER",
        "",
        "",
    ]
    assert [run_cell(None, "%load_ext gradwalk"), run_cell(None), run_cell(None)] == ["VIEWER", "", ""]
    assert run_cell(None, "import torch\n%reload_ext  gradwalk\n") == "VIEWER"
    notebook.unload_ipython_extension(shell)
    assert [run_cell("b"), run_cell(None, "%load_ext gradwalk")] == ["", ""]  # (unloaded: the event is gone)


def test_a_run_shown_without_load_ext_knows_its_cell_and_follows_the_cells_after(monkeypatch):
    """`gradwalk.record()` in a notebook with no %load_ext: the first run shown carries the viewer and notes its cell
    (the cell's result knows its id); that cell run again, the viewer comes again."""
    monkeypatch.setattr(notebook, "engine_html", lambda static: "VIEWER")
    monkeypatch.setattr(notebook, "_session", {"engine_shown": False, "cell": None, "viewer_cell": None})
    info = SimpleNamespace(cell_id="a", raw_cell="with gradwalk.record() as run: ...")
    result = SimpleNamespace(info=info)
    shell = SimpleNamespace(
        events=EventManager(None, available_events), displayhook=SimpleNamespace(exec_result=result)
    )
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert [notebook._engine(), notebook._engine()] == ["VIEWER", ""]
    for cell, shown in [("b", ""), ("a", "VIEWER")]:
        result.info = SimpleNamespace(cell_id=cell, raw_cell="run")
        shell.events.trigger("pre_run_cell", result.info)
        assert notebook._engine() == shown


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("model = 1\nmodel", True),
        ("model = 1\nmodel  # the model;", True),
        ("s = 'a;'\ns", True),
        ("model = 1\nmodel;", False),
        ("model = 1\nmodel;  # quiet\n\n", False),
        ("for i in range(2):\n    i;", False),
        ("model = 1;", False),
    ],
)
def test_a_cells_last_expression_is_shown_unless_a_semicolon_ends_it_as_in_ipython(cell: str, shown: bool):
    kept = [n for n in ast.walk(notebook._split_last_expression(cell)) if isinstance(n, ast.Name)]
    assert any(n.id == notebook.LAST_VALUE for n in kept) is shown


def test_a_notebook_output_over_its_byte_budget_opens_folded_unless_the_cell_asks_for_a_fold(monkeypatch):
    with gradwalk.record() as run:
        deep = torch.nn.Sequential(*[torch.nn.Linear(4, 4) for _ in range(8)])
        deep(torch.ones(2, 4)).sum().backward()
    monkeypatch.setattr(notebook, "_session", {"engine_shown": True, "cell": None, "viewer_cell": None})
    monkeypatch.setattr(notebook, "pictures", lambda run, settings: {})  # (no Graphviz: the data is what is measured)

    def shown(limit: int, fold: int | None = None) -> tuple[int, int, int]:
        within = recording.settings().model_copy(update={"notebook_output_max_bytes": limit})
        monkeypatch.setattr(recording, "settings", lambda: within)
        html = notebook.mimebundle(run, fold=fold)["text/html"]
        data = json.loads(re.search(r'class="gw-data">(.*?)</script>', html, re.DOTALL).group(1))
        return len(html), data["fold"], len(data["run"]["forward"]["nodes"])

    whole, fold, nodes = shown(1 << 20)
    assert (fold, nodes) == (notebook.FOLD_NODES, len(run.forward.nodes))  # (within the default: as it was)
    size, fold, nodes = shown(whole // 2)
    assert size <= whole // 2 and fold < len(run.forward.nodes) and nodes < len(run.forward.nodes) / 2
    # `--fold 300`: as asked (past the budget, without the formula DOTs of its backward nodes: the graphs first)
    assert shown(whole // 2, fold=300)[1:] == (300, len(run.forward.nodes))


def test_load_ext_says_why_the_viewer_is_missing_instead_of_saying_it_is_loaded(monkeypatch):
    def missing(static):
        raise notebook.ViewerMissing("static/vendor/viz/viz-global.js is missing: `make install` <copies it>")

    shown: list[dict[str, str]] = []
    monkeypatch.setattr(notebook, "engine_html", missing)
    monkeypatch.setattr(notebook, "_session", {"engine_shown": False, "cell": None, "viewer_cell": None})
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw: shown.append(bundle))
    notebook.show_viewer()
    assert "viewer is missing" in shown[0]["text/plain"] and "viz-global.js is missing" in shown[0]["text/plain"]
    assert "&lt;copies it&gt;" in shown[0]["text/html"]
