"""What a snippet sees of its own stack, and the warnings it is shown, compared byte for byte with `python FILE` in a
process of its own (the oracle's plain run, in pytest's process after captures, has pytest's frames below its top
level and gradwalk's module call, which stays for the process, among torch's)."""

import subprocess
import sys
from pathlib import Path

import orjson

from app.capture import capture, dumps

from .oracle import LIMITS

SNIPPET = """\
import inspect, traceback, warnings
import torch
from torch import nn
import torch.nn.functional as F
torch.manual_seed(0)
class Probe(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
    def forward(self, x):
        print([f.function for f in inspect.stack()])
        print([(f.name, f.lineno) for f in traceback.extract_stack()])
        traceback.print_stack(limit=4)
        return self.fc(x)
def where():
    return [f.function for f in inspect.stack()], len(traceback.format_stack())
print(where())
traceback.print_stack()
probe = Probe()
x = torch.randn(4, 3, requires_grad=True)
out = probe(x)
def check(t):
    if t.grad is None:
        warnings.warn("no gradient yet", stacklevel=3)
check(x)
loss = F.mse_loss(out, torch.zeros(4, 2), size_average=False)
grid = torch.meshgrid(torch.arange(2.0), torch.arange(3.0))
x.register_hook(lambda g: traceback.print_stack())
loss.backward()
print(x.grad)
try:
    F.mse_loss(out, torch.zeros(5, 2))
except RuntimeError:
    print(traceback.format_exc())
"""


def test_stack_and_warnings_are_what_python_file_shows(tmp_path: Path):
    """`inspect.stack()`, `traceback.extract_stack()` and `print_stack()` showed the sandbox worker's frames under
    the snippet's top level (12 frames where Python has 2) and gradwalk's module call (`followed_call`) above a
    module's `_wrapped_call_impl`. A warning torch places in its own Python code (`size_average`'s in
    `torch/nn/functional.py`, meshgrid's C++ warning in `torch/functional.py`) was moved to the snippet's line, and one
    whose `stacklevel` reaches past the top level said a gradwalk or threading frame where Python says `sys:1`.
    A stack printed in a backward hook, and the traceback of a caught error in `F.mse_loss`, showed torch's dispatch
    to the recorder (`return handle_torch_function(` and `mode.__torch_function__(...)`), which plain torch skips."""
    path = tmp_path / "stacks.py"
    path.write_text(SNIPPET, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(SNIPPET, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert run["stderr"] == plain.stderr
    assert "sys:1: UserWarning: no gradient yet\n" in plain.stderr
    assert "torch/nn/functional.py" in plain.stderr and "torch/functional.py" in plain.stderr
    assert "handle_torch_function" not in run["stdout"] + run["stderr"]
