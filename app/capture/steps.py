"""An optimizer's step, drawn as one op: `Adam.step`, from each parameter and its `.grad` to the parameter's next
version, in place of the dozens of ops torch.optim runs inside it (`lerp_`, `addcmul_`, `sqrt`... per parameter).

The recorder learns where a step runs from torch.optim's global step hooks (`follow_optimizer_steps`: every
optimizer's `step`, the snippet's subclasses' too). A call made under no_grad whose frames reach the running
step's before any frame of the snippet is the step's own: it is not recorded, but what it reads and changes of the
graph is noted here. Code of the snippet's the step calls (LBFGS's closure, a subclass's `step`, a step hook) is
recorded as everywhere: the step's changes up to it become one op then (`Recorder._flush_step`), the next ones
another.
"""

from types import FrameType
from typing import TYPE_CHECKING, Any

from torch import Tensor

from .naming import SNIPPET_FILE

if TYPE_CHECKING:
    from .record import TensorRecord


class Step:
    """One running `optimizer.step()`: what its own calls read and changed of the graph since its last op."""

    __slots__ = ("changed", "inputs", "line", "name", "optimizer", "wrapper")

    def __init__(self, optimizer: Any, wrapper: FrameType, line: int | None):
        self.optimizer = optimizer
        self.name = f"{type(optimizer).__name__}.step"  # (a class's own name: no code of the snippet's runs)
        self.wrapper = wrapper  # the frame of torch.optim's step wrapper, which runs the hooks and the step
        self.line = line  # the snippet's line calling it
        self.inputs: dict[int, TensorRecord] = {}  # id(tensor) -> its record as the step first read it
        self.changed: dict[int, Tensor] = {}  # id(tensor) -> a tensor of the graph the step changed in place


def inside(steps: list[Step], caller: FrameType | None) -> Step | None:
    """The step whose own code makes a call from `caller`: walking out from it, that step's wrapper frame comes
    before any frame of the snippet. (A step that raised is no longer among the frames: never found.)"""
    frame = caller
    while frame is not None and frame.f_code.co_filename != SNIPPET_FILE:
        for step in steps:
            if step.wrapper is frame:
                return step
        frame = frame.f_back
    return None


def running(steps: list[Step], frame: FrameType | None) -> list[Step]:
    """The steps whose wrapper frame is among `frame`'s callers (those that raised are dropped)."""
    callers = set()
    while frame is not None:
        callers.add(id(frame))
        frame = frame.f_back
    return [step for step in steps if id(step.wrapper) in callers]
