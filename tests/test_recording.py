"""`with gradwalk.record() as run:` records a block of the caller's own code where it runs: the same Run as the
API's (typed), the block's names and lines, its variables left as plain Python leaves them, an error in the Run
and raised on, nothing of what was bound before the block unless the block used it; and the Run shows itself."""

import json
import re
import subprocess
import sys
import time
import tomllib

import pytest
import torch

import gradwalk
from app.capture import naming, output
from app.capture import record as record_module
from app.capture.block import BlockInUse
from app.graph import Run as ApiRun
from app.graph import parse_run
from app.recording import settings
from app.render import to_dot

from .helpers import ROOT


def tensors(run: ApiRun) -> dict[str, object]:
    return {node.var: node for node in run.forward.nodes if getattr(node, "var", None)}


def test_the_tutorials_2d_example_recorded_in_a_function():
    unrelated = torch.ones(3, requires_grad=True)  # bound before the block, never used in it
    with gradwalk.record() as run:
        X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        y_true = torch.tensor([[10.0], [20.0]])
        W = torch.tensor([[0.1], [0.2], [0.3]], requires_grad=True)
        b = torch.tensor(0.5, requires_grad=True)
        y_pred = X @ W + b
        loss = torch.mean((y_pred - y_true) ** 2)
        loss.backward()
    assert isinstance(run, ApiRun) and isinstance(run, gradwalk.Run)
    assert run.status == "ok" and run.error is None
    named = tensors(run)
    assert {"X", "y_true", "W", "b", "y_pred", "loss"} <= set(named)
    assert "unrelated" not in named
    assert [row[0] for row in named["W"].grad.values()] == pytest.approx([-73.3, -97.7, -122.1], abs=1e-4)
    assert named["b"].grad.values() == pytest.approx(-24.4, abs=1e-4)
    assert named["loss"].value.values() == pytest.approx(165.65, abs=1e-3)
    first = named["X"].line
    assert named["loss"].line == first + 5  # lines of this file, as a traceback gives them
    assert "with gradwalk.record() as run:" in run.code  # the file the block is in
    assert W.grad is not None and loss.item() == pytest.approx(165.65, abs=1e-3)  # plain PyTorch, kept
    assert unrelated.grad is None


def test_an_error_is_in_the_run_and_raised_on_with_what_was_built():
    with pytest.raises(ZeroDivisionError), gradwalk.record() as run:
        x = torch.tensor(2.0, requires_grad=True)
        y = x**2
        print("before", 1 / 0)
    assert run.status == "error"
    assert run.error.type == "ZeroDivisionError" and run.error.line is not None
    assert {"x", "y"} <= set(tensors(run))
    assert y.item() == 4.0


def test_an_error_of_a_recorded_block_carries_its_hint_as_on_the_page():
    """docs/python.md says an error shows with its hint, as on the page: the block's Run had none."""
    with pytest.raises(RuntimeError), gradwalk.record() as run:
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.backward()
    assert run.error.type == "RuntimeError" and run.error.hint is not None
    assert "y.sum().backward()" in run.error.hint.en and run.error.hint.ko


def test_the_run_shows_itself_in_each_format(tmp_path):
    with gradwalk.record() as run:
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x**2).backward(torch.ones(3))
        print("printed")
    assert run.stdout == "printed\n"
    assert parse_run(run.to_json()).forward == run.forward
    assert json.loads(run.to_json())["id"] == run.id
    assert run.to_dot("backward") == to_dot(run, "backward", settings().label_whole_elements)
    page = run.to_html(tmp_path / "run.html")
    assert (tmp_path / "run.html").read_text() == page and 'class="gw-data"' in page
    bundle = run._repr_mimebundle_()
    assert bundle["text/plain"].startswith("<gradwalk Run ") and 'class="gw-data"' in bundle["text/html"]
    assert "status='ok'" in repr(run) and len(repr(run)) < 200


def test_blocks_do_not_nest_and_the_engine_is_left_as_it_was():
    with gradwalk.record(), pytest.raises(BlockInUse), gradwalk.record():
        pass
    for module in (naming, output, record_module):
        assert module.SNIPPET_FILE == "<snippet>"


def test_the_node_limit_stops_the_recording_not_the_block_and_says_so():
    with gradwalk.record(max_nodes=20) as run:
        x = torch.ones(2, requires_grad=True)
        for _ in range(100):
            x = x * 1.01
        reached = True
    assert run.status == "limit" and run.error.type == "GraphLimit" and run.recording_stopped == run.error
    assert reached and torch.allclose(x, torch.full((2,), 1.01**100))  # (the block ran to its end, as without gradwalk)


def test_a_recorded_block_explains_its_backward_nodes_checked_against_pytorch():
    with gradwalk.record() as run:
        X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        W = torch.tensor([[0.1], [0.2], [0.3]], requires_grad=True)
        loss = torch.mean((X @ W + 0.5 - torch.tensor([[10.0], [20.0]])) ** 2)
        loss.backward()
    assert all(node.explain is not None for node in run.backward.nodes)
    mm = next(node for node in run.backward.nodes if node.name == "MmBackward0")
    to_w = next(i for i in mm.explain.inputs if i.to == tensors(run)["W"].id)
    assert to_w.numbers == "[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]"
    assert to_w.check is not None and to_w.check.ok
    assert W.grad.flatten().tolist() == pytest.approx([-73.3, -97.7, -122.1], abs=1e-4)  # what PyTorch says
    assert mm.explain.words.ko and mm.explain.words.en != mm.explain.words.ko


def test_explain_max_nodes_applies_to_a_recorded_block(monkeypatch):
    monkeypatch.setenv("GRADWALK_EXPLAIN_MAX_NODES", "0")
    settings.cache_clear()
    try:
        with gradwalk.record() as run:
            x = torch.tensor(2.0, requires_grad=True)
            (x**2).backward()
    finally:
        settings.cache_clear()
    inputs = [i for node in run.backward.nodes for i in node.explain.inputs]
    assert inputs and all(i.numbers is None and i.check is None for i in inputs)
    assert "GRADWALK_EXPLAIN_MAX_NODES" in run.backward.nodes[0].explain.words.en


def test_jupyter_is_an_optional_extra_the_server_never_imports():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    jupyter = ("ipython", "ipykernel", "nbclient", "nbformat", "jupyter", "notebook")
    assert not [d for d in project["dependencies"] if d.lower().startswith(jupyter)]
    assert project["optional-dependencies"]["notebook"] == ["ipython>=8"]
    code = "import sys, gradwalk, app.main, app.cli; sys.exit('IPython' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_python_docs_record_examples_run_as_they_say(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "python.md").read_text(), re.DOTALL)
    scripts = [block for block in blocks if block.startswith("import torch\nimport gradwalk\n")]
    assert len(scripts) == 2
    monkeypatch.chdir(tmp_path)
    vector: dict = {}
    exec(compile(scripts[0], "python.md", "exec"), vector)
    assert vector["run"].status == "ok" and vector["x"].grad.tolist() == [2.0, 4.0, 6.0]
    seed: dict = {}
    exec(compile(scripts[1], "python.md", "exec"), seed)
    assert seed["run"].status == "ok" and seed["b"].grad.item() == pytest.approx(-24.4, abs=1e-4)
    W = tensors(seed["run"])["W"]
    assert [row[0] for row in W.grad.values()] == pytest.approx([-73.3, -97.7, -122.1], abs=1e-4)
    assert 'class="gw-data"' in (tmp_path / "linear_2d.html").read_text()


def test_a_block_right_after_a_file_capture_records_under_its_own_file_and_leaves_the_engine_as_it_was(tmp_path):
    """`capture` returns the Run before its thread has freed the snippet's objects, the file's name still set in the
    engine: a block started then saved that name and set it back at its end, after the capture's thread had set
    back its own, and the engine knew the captured file's frames as the snippet's from then on (a later block of
    the same process recorded nothing of its own code). A block now starts once the capture is over."""
    from app.capture import capture
    from app.capture.process import wait_until_idle

    from .oracle import LIMITS

    slow = "import time\nclass Slow:\n    def __del__(self, sleep=time.sleep):\n        sleep(0.5)\n"
    slow += "def keep():\n    pass\nkeep.held = Slow()\n"
    path = tmp_path / "slow.py"
    run = capture(slow, **LIMITS, file=str(path), argv0=str(path))
    assert run["status"] == "ok"
    with gradwalk.record() as block:
        here = naming.SNIPPET_FILE
        x = torch.ones(2, requires_grad=True)
        (x * 3).sum().backward()
        time.sleep(0.8)
    assert here == __file__ and block.status == "ok" and block.backward.nodes
    wait_until_idle()
    for module in (naming, output, record_module):
        assert module.SNIPPET_FILE == "<snippet>"


def test_an_engine_module_first_imported_while_a_file_runs_gets_the_snippets_name_back(monkeypatch):
    """A module of the engine imported for the first time during a capture of a file (`from .naming import
    SNIPPET_FILE`) took the file's name, and kept it once the capture had set back the modules it knew of."""
    import types

    with naming.snippet_file("/somewhere/train.py"):
        late = types.ModuleType("app.capture._imported_late")
        late.SNIPPET_FILE = naming.SNIPPET_FILE
        monkeypatch.setitem(sys.modules, late.__name__, late)
    assert late.SNIPPET_FILE == naming.SNIPPET_FILE == "<snippet>"
