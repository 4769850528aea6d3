"""What a snippet sees of Python and torch, compared byte for byte with `python FILE` in a process of its own: how
often a warning shows and where its stacklevel lands, what its streams say of themselves, and what torch's module
calls and constructors say of their parameters (gradwalk wraps them). Python shows a warning once per line unless a
filter says otherwise, and forgets which it showed when the filters change."""

import contextlib
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
from torch.utils.hooks import RemovableHandle

from app.capture import capture, dumps

from .oracle import LIMITS


@contextlib.contextmanager
def fresh_logger(name: str) -> Iterator[None]:
    """The logger `name` as a fresh process has it (no handlers, propagating, no level) while this lasts."""
    logger = logging.getLogger(name)
    saved = logger.handlers[:], logger.propagate, logger.level, logger.disabled
    logger.handlers, logger.propagate, logger.level, logger.disabled = [], True, logging.NOTSET, False
    try:
        yield
    finally:
        logger.handlers, logger.propagate, logger.level, logger.disabled = saved[0], saved[1], saved[2], saved[3]


REPEATED = """\
import logging, sys, warnings
import torch
import torch.nn.functional as F
def step():
    loss = F.mse_loss(torch.ones(3, 1), torch.ones(3))
    warnings.warn("slow step")
    return torch.ones(2, requires_grad=True).mul(2).grad
for epoch in range(3):
    step()
with warnings.catch_warnings():
    pass
step()
logging.basicConfig(stream=sys.stdout, format="%(name)s %(message)s", force=True)
logging.captureWarnings(True)
with warnings.catch_warnings():
    pass
for epoch in range(2):
    step()
logging.captureWarnings(False)
warnings.simplefilter("always")
for epoch in range(2):
    step()
warnings.simplefilter("ignore", RuntimeWarning)
warnings.warn("ignored", RuntimeWarning)
"""


def test_a_warning_in_a_loop_shows_as_often_as_python_shows_it(tmp_path: Path):
    """A warning raised again on the same line (a loss whose shapes broadcast, in a training loop) showed once under
    gradwalk whatever the snippet asked: with `simplefilter('always')` Python shows it every time (gradwalk: once),
    and logged by `logging.captureWarnings(True)` Python shows it once (gradwalk: every time, its own showwarning,
    which counted them, replaced). After the filters change (`catch_warnings`, `simplefilter`), Python shows it
    again; torch's C++ warnings (a non-leaf's `.grad`) count by the snippet's line, as Python's do."""
    path = tmp_path / "repeated.py"
    path.write_text(REPEATED, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    with fresh_logger("py.warnings"):  # (as in a process of its own: other tests' snippets configured it)
        run = orjson.loads(dumps(capture(REPEATED, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert run["stderr"] == plain.stderr
    assert plain.stdout.count("UserWarning: slow step") == 1 and plain.stdout.count("is not a leaf") == 1  # (logged)
    assert plain.stderr.count("UserWarning: slow step") == 2 + 2  # (before and after catch_warnings; always: twice)
    assert plain.stderr.count("is not a leaf Tensor") == 2 + 2 and "ignored" not in plain.stderr


STREAMS = """\
import logging, sys
log = logging.getLogger("train")
log.addHandler(logging.StreamHandler(sys.stdout))
log.addHandler(logging.StreamHandler())
print(log.handlers)
sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)
print(sys.stdout.name, sys.stderr.name, sys.stdout.mode, sys.stdout.line_buffering, sys.stderr.line_buffering)
print(sys.stdout.seekable(), sys.stdout.encoding, sys.stderr.errors)
"""


def test_the_snippets_streams_are_named_as_pythons(tmp_path: Path):
    """A logging handler's repr names its stream (`<StreamHandler <stdout> (INFO)>`, printed by a script that lists
    its logger's handlers): gradwalk's streams had no `name`, and `sys.stdout.name` raised AttributeError."""
    path = tmp_path / "streams.py"
    path.write_text(STREAMS, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(STREAMS, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert plain.stdout.startswith("[<StreamHandler <stdout> (NOTSET)>, <StreamHandler <stderr> (NOTSET)>]\n")


STACKLEVELS = """\
import warnings
import torch
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)
    def forward(self, x):
        for level in (1, 2, 3, 4, 5):
            warnings.warn(f"forward level {level}", stacklevel=level)
        return self.fc(x)
def main():
    x = torch.ones(1, 2, requires_grad=True)
    Net()(x)
    nn.Sequential(Net())(x)
Net()(torch.ones(1, 2))
main()
"""


def test_a_stacklevel_counts_the_frames_python_has(tmp_path: Path):
    """`warnings.warn(..., stacklevel=5)` in a module's `forward` names, in plain Python, the caller of the module's
    caller (`sys:1` at the top level, main()'s line, torch's `_call_impl` under an nn.Sequential): gradwalk counted
    its own frame of the module call, and named the line one frame nearer."""
    path = tmp_path / "levels.py"
    path.write_text(STACKLEVELS, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(STACKLEVELS, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stderr"] == plain.stderr
    assert "sys:1: UserWarning: forward level 5\n" in plain.stderr
    assert f"{path}:17: UserWarning: forward level 5\n" in plain.stderr


HELP = """\
import inspect
import torch.nn as nn
print(nn.Module.__call__.__name__, nn.Module.__call__.__qualname__, inspect.signature(nn.Linear.__call__))
print(inspect.getfullargspec(nn.Module.__call__))
import pydoc
print([line for line in pydoc.render_doc(nn.Identity, renderer=pydoc.plaintext).splitlines() if "__call__" in line])
"""


def test_help_on_a_module_class_says_what_python_says(tmp_path: Path):
    """`help(nn.Identity)` (or `help(model)` in a course notebook) listed `__call__ = followed_call(module: ...)`,
    gradwalk's wrapper of module calls, where python FILE lists `__call__ = _wrapped_call_impl(self, *args,
    **kwargs)`."""
    path = tmp_path / "help.py"
    path.write_text(HELP, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(HELP, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert "__call__ = _wrapped_call_impl(self, *args, **kwargs)" in plain.stdout  # (what help(nn.Identity) says)


FROM_CONFIG = """\
import inspect
import torch.nn as nn
def build(cls, cfg):
    accepted = inspect.getfullargspec(cls.__init__).args[1:]
    return cls(**{k: v for k, v in cfg.items() if k in accepted})
cfg = {"in_features": 3, "out_features": 2, "bias": False, "p": 0.3, "num_embeddings": 5, "embedding_dim": 2}
print(build(nn.Linear, cfg), build(nn.Dropout, cfg), build(nn.Embedding, cfg))
spec = inspect.getfullargspec(nn.Conv2d.__init__)
print(spec.args, spec.defaults, nn.Linear.__init__.__defaults__, nn.LayerNorm.__init__.__code__.co_varnames[:3])
import torch
print(inspect.getfullargspec(torch.autograd.gradcheck).args, inspect.getfullargspec(torch.autograd.gradgradcheck))
"""


def test_a_layer_built_from_the_config_keys_its_constructor_accepts_is_built(tmp_path: Path):
    """Building a layer from the keys of a config that `inspect.getfullargspec(cls.__init__)` says it accepts (a
    research codebase's model factory): gradwalk's wrapper of torch's module constructors had the parameters
    `(self, *args, **kwargs)`, so nothing was passed and `nn.Linear(**{})` raised TypeError where python FILE runs."""
    path = tmp_path / "factory.py"
    path.write_text(FROM_CONFIG, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(FROM_CONFIG, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert plain.stdout.startswith("Linear(in_features=3, out_features=2, bias=False) Dropout(p=0.3, inplace=False)")


HANDLES = """\
import torch
import torch.nn as nn
from torch.optim.optimizer import register_optimizer_step_post_hook
x = torch.ones(3, requires_grad=True)
y = x * 2
h1 = y.register_hook(lambda g: g)
h2 = y.grad_fn.register_hook(lambda gi, go: None)
m = nn.Linear(3, 1)
h3 = m.register_forward_hook(lambda mod, i, o: None)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
h4 = register_optimizer_step_post_hook(lambda o, a, k: print("stepped"))
m(y).sum().backward()
opt.step()
h5 = x.register_post_accumulate_grad_hook(lambda p: None)
print(h1.id, h2.id, h3.id, h4.id, h5.id, list(m._forward_hooks))
h4.remove()
"""


def test_the_snippets_hook_handles_count_from_zero(tmp_path: Path):
    """A hook's `handle.id` (the key of its hook dict, `list(model._forward_hooks)`) counts the handles the process
    made: every run registered torch.optim's global step hooks for gradwalk, two handles, so the snippet's first
    said 2 (more in a sandbox's worker, after its warm-up runs) where python FILE says 0. (In this process, other
    tests' snippets made handles before: the ids are counted from where they left off.)"""
    path = tmp_path / "handles.py"
    path.write_text(HANDLES, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    assert plain.stdout == "stepped\n0 1 2 3 4 [2]\n"
    for _ in range(2):
        first = RemovableHandle.next_id
        run = orjson.loads(dumps(capture(HANDLES, **LIMITS, file=str(path), argv0=str(path))))
        assert run["status"] == "ok", run["error"]
        ids = " ".join(str(first + i) for i in range(5))
        assert run["stdout"] == f"stepped\n{ids} [{first + 2}]\n"
        assert RemovableHandle.next_id == first + 5  # (the snippet's own five: gradwalk made none)


MODULE_FILTERS = """\
import warnings
import torch
import torch.nn.functional as F
warnings.filterwarnings("error", module="__main__")
x = torch.ones(3, 1, requires_grad=True)
try:
    loss = F.mse_loss(x, torch.ones(3))
except UserWarning as w:
    print("raised:", str(w)[:30])
try:
    g = (x * 2).grad
except UserWarning as w:
    print("raised:", str(w)[:30])
warnings.filterwarnings("ignore", module="__main__")
loss = F.mse_loss(x, torch.ones(3))
warnings.filterwarnings("error", category=UserWarning, module="__main__")
g = (x * 3).grad
"""


def test_a_filter_for_the_snippets_module_acts_on_the_warnings_torch_raises_for_its_lines(tmp_path: Path):
    """`warnings.filterwarnings("error", module="__main__")` turns the warnings torch raises for the snippet's lines
    (a broadcasting loss, a non-leaf's .grad) into errors in plain Python, "ignore" silences them: under gradwalk
    they were raised at its recorder's line, which no such filter matches, and were shown instead."""
    path = tmp_path / "filters.py"
    path.write_text(MODULE_FILTERS, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    run = orjson.loads(dumps(capture(MODULE_FILTERS, **LIMITS, file=str(path), argv0=str(path))))
    assert (
        run["stdout"]
        == plain.stdout
        == "raised: Using a target size (torch.Siz\nraised: The .grad attribute of a Tenso\n"
    )
    assert (run["error"]["type"], run["error"]["line"]) == ("UserWarning", 17) and plain.returncode == 1
    assert plain.stderr.splitlines()[-1].startswith("UserWarning: The .grad attribute of a Tensor that is not a leaf")


RECORDED = """\
import warnings
import torch
import torch.nn.functional as F
x = torch.ones(3, 1, requires_grad=True)
def step():
    F.mse_loss(x, torch.ones(3))
    return (x * 2).grad
with warnings.catch_warnings(record=True) as caught:
    for _ in range(3):
        step()
print(len(caught), [w.lineno for w in caught])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("once")
    for _ in range(3):
        step()
        F.mse_loss(x, torch.ones(3))
print(len(caught), [w.lineno for w in caught])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("module")
    for _ in range(2):
        step()
        F.mse_loss(x, torch.ones(3))
print(len(caught), [w.lineno for w in caught])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("default")
    for _ in range(2):
        step()
        F.mse_loss(x, torch.ones(3))
        y = (x * 3).grad
print(len(caught), [w.lineno for w in caught])
"""


def test_warnings_recorded_under_each_action_as_python_records_them(tmp_path: Path):
    """`catch_warnings(record=True)` under Python's default, "once", "module" and "default": with `simplefilter(
    "default")` the same message from another line of the snippet is recorded again in plain Python; under gradwalk
    the warnings module remembered it at its recorder's line, the same for every op, and dropped it."""
    path = tmp_path / "recorded.py"
    path.write_text(RECORDED, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(RECORDED, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert plain.stdout.splitlines()[-1] == "4 [6, 7, 28, 29]"


AT_EXIT = """\
import atexit, sys, weakref
import torch
class Logger:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print(f"logger {self.name} closed, {len(history)} losses kept" if history else f"logger {self.name} closed")
class Run:
    def __init__(self, logger):
        self.logger = logger
    def __del__(self):
        print("run released")
history = []
_scratch = Logger("scratch")
run = Run(Logger("train"))
w = torch.ones(2, requires_grad=True)
weakref.finalize(run, print, "finalizer of run")
weakref.finalize(w, print, "finalizer of w, made second, called first")
atexit.register(print, "atexit: before the finalizers")
loss = (w * 3).sum()
loss.backward()
history.append(loss.item())
print(w.grad)
if len(sys.argv) > 1:
    raise RuntimeError("stopped by its own error")
"""


def test_what_a_script_frees_as_python_exits_prints_as_there(tmp_path: Path):
    """Objects a script leaves bound are freed as `python FILE` exits, and their `__del__` may print (a logger's
    "closed" line), as may the `weakref.finalize` functions still pending: none of it was in the Run (the sandbox's
    child never runs Python's exit). Python calls them after the `atexit` functions, then clears the top-level names,
    one leading underscore first; after an uncaught error too."""
    path = tmp_path / "at_exit.py"
    path.write_text(AT_EXIT, encoding="utf-8")
    for argv in ([], ["fail"]):
        plain = subprocess.run([sys.executable, str(path), *argv], capture_output=True, text=True, timeout=120)
        run = orjson.loads(dumps(capture(AT_EXIT, **LIMITS, file=str(path), argv0=str(path))))
        if argv:  # (gradwalk's run has no arguments: the error is raised through a name bound to make one)
            source = AT_EXIT.replace("len(sys.argv) > 1", "True")
            run = orjson.loads(dumps(capture(source, **LIMITS, file=str(path), argv0=str(path))))
            assert run["status"] == "error" and plain.returncode == 1
        else:
            assert run["status"] == "ok" and plain.returncode == 0
        assert run["stdout"] == plain.stdout
        assert plain.stdout.endswith(
            "finalizer of run\nlogger scratch closed, 1 losses kept\nrun released\nlogger train closed, 1 losses kept\n"
        )


HELD_BY_A_MODULE = """\
import torch
from torch import nn
class Writer:
    def __init__(self):
        self.rows = 0
    def __del__(self):
        print(f"writer flushed {self.rows} rows")
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)
        self.writer = Writer()
    def forward(self, x):
        self.writer.rows += 1
        return self.fc(x)
net = Net()
for step in range(3):
    net(torch.ones(1, 2)).sum().backward()
print(net.fc.weight.grad)
"""


def test_an_object_a_module_holds_is_freed_at_exit_as_python_frees_it(tmp_path: Path):
    """An object with a `__del__` kept on a module (a metrics writer as `self.writer`) is freed as `python FILE`
    exits, printing its last line: it is bound at no top-level name."""
    path = tmp_path / "held.py"
    path.write_text(HELD_BY_A_MODULE, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    run = orjson.loads(dumps(capture(HELD_BY_A_MODULE, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    assert plain.stdout.endswith("writer flushed 3 rows\n")


def test_a_del_that_prints_past_the_cap_at_the_end_stops_the_run_as_a_print_of_the_top_level_does():
    """Output past `max_output_bytes` from a `__del__` called as Python's exit frees the snippet's objects was
    reported as an "Exception ignored in" of gradwalk's own code, and the run said `ok`."""
    source = "class Closer:\n    def __del__(self):\n        while True:\n            print('x' * 100)\nc = Closer()\n"
    run = capture(source, **{**LIMITS, "max_output_bytes": 1000})
    assert run["status"] == "limit" and run["error"]["type"] == "OutputLimit", run["error"]
    assert (run["error"]["line"], run["stderr"]) == (4, "")
    assert run["stdout"] == ("x" * 100 + "\n") * 9 + "x" * 91


OWN_HOOKS = """\
import sys
import torch

events = {}
files = set()


def audit(event, args):
    if event == "sys._getframe":
        raise RuntimeError("no frames")
    events[event] = events.get(event, 0) + 1


def profile(frame, event, arg):
    files.add(frame.f_code.co_filename.rpartition("/")[2] + ":" + frame.f_code.co_name)


def double(t):
    return t * 2


sys.addaudithook(audit)
sys.setprofile(profile)
x = torch.ones(2, requires_grad=True)
y = double(x).sum()
y.backward()
sys.setprofile(None)
print([events.get(name, 0) for name in ("builtins.id", "compile", "sys.setprofile")], x.grad, sys.getprofile())
observing = {"dis.py", "ast.py", "record.py", "naming.py"}
print(sorted(f.partition(":")[0] for f in files if f.partition(":")[0] in observing))
print(sum(f.endswith(":double") for f in files))
"""


def test_the_snippets_audit_and_profile_hooks_see_none_of_gradwalks_work():
    """An audit hook (`sys.addaudithook`) and a profile function of the snippet's were called for gradwalk's own work:
    53 `builtins.id` and 4 `sys._getframe` events where plain Python raises none, so a hook refusing `sys._getframe`
    ended the run with an error on the line that made a tensor; and the profile function saw gradwalk's frames
    (`record.py`, `naming.py`) and the standard library's it called (`dis.py`, `ast.py`). The snippet's own frames are
    seen (pasted: `<snippet>`). Run in a process of its own: an audit hook stays for the life of its process."""
    captured = subprocess.run(
        [sys.executable, "-m", "app", "capture", "--no-sandbox", "-q", "-"],
        input=OWN_HOOKS.encode(),
        capture_output=True,
        timeout=120,
        check=True,
    )
    run = orjson.loads(captured.stdout)
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == "[0, 0, 2] tensor([2., 2.]) None\n[]\n1\n"  # (what `python FILE` prints)
    assert captured.stderr == b""


ERRORS_PYTHON_PRINTS = """\
import gc, threading, weakref
import torch
class Checkpoint:
    def __init__(self, t):
        self.t = t
    def __del__(self):
        raise RuntimeError(f"could not save {tuple(self.t.shape)}")
w = torch.ones(2, requires_grad=True)
c = Checkpoint(w * 2)
del c
gc.collect()
class Box:
    pass
box = Box()
ref = weakref.ref(box, lambda r: 1 / 0)
del box
def work(scale):
    if scale > 1:
        raise ValueError(f"bad scale {scale}")
for s in (1, 2):
    t = threading.Thread(target=work, args=(s,), name=f"worker-{s}")
    t.start()
    t.join()
(w * 3).sum().backward()
print(w.grad)
"""


def test_errors_python_reports_itself_show_the_snippets_lines(tmp_path: Path):
    """An error in a `__del__`, a weakref callback ("Exception ignored in") or a thread: Python's own hooks print its
    traceback by reading the file again, which the sandbox's child cannot open, and the Run's standard error showed
    the frames without the snippet's source lines. Now as `python FILE` prints them (the file removed after, as the
    jail hides it)."""
    path = tmp_path / "errors.py"
    path.write_text(ERRORS_PYTHON_PRINTS, encoding="utf-8")
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    path.unlink()
    run = orjson.loads(dumps(capture(ERRORS_PYTHON_PRINTS, **LIMITS, file=str(path), argv0=str(path))))
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout
    addresses = re.compile(r" at 0x[0-9a-f]+>")
    assert addresses.sub(">", run["stderr"]) == addresses.sub(">", plain.stderr)
    assert 'raise RuntimeError(f"could not save' in plain.stderr and "raise ValueError(f" in plain.stderr
