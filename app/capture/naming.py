"""The snippet's names for its tensors, collected while it runs and chosen at export (the v2 rule of the contract):
the name bound at the snippet's top level wins (`k`, `parts[0]`, `model.fc1.weight`), then the innermost
function's; every other name is an alias. A name is given to the tensor it is bound to when seen, so a rebound
name names the new tensor.

Names are seen by scanning a frame's variables, once per line that calls torch (again when a loop runs the line's
one op anew; a function's, and its callers' that returned with it, once more when the next op runs elsewhere: what
they bound on their last lines), and the top level once more at the end; lists, tuples
and dicts bound at the top level name their items, modules their parameters and buffers, and the snippet's own
objects and classes their attributes (`state.weight`, `Config.scale`). A path two steps deep (`pairs[0][1]`,
`state.history[0]`) ranks after every one-step top-level name: it labels a tensor that has no other.
"""

import argparse
import ast
import bisect
import contextlib
import inspect
import linecache
import re
import sys
import types
import weakref
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from types import BuiltinFunctionType, CodeType, FrameType, FunctionType, MethodType, ModuleType
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from ..expression import walk
from .peek import (
    class_vars,
    defined_by_snippet,
    field_path,
    instance_vars,
    is_container,
    is_module,
    is_tensor,
    items_of,
    key_text,
    kind_in,
    module_parts,
    size_of,
    slot_values,
)

if TYPE_CHECKING:
    from .record import TensorRecord

SNIPPET_FILE = "<snippet>"
CONTAINER_SCAN_ITEMS = 256  # larger lists and dicts are named at the end only (a per-line scan would cost O(n))

# Kinds of value that hold no tensor, module or container a name could reach.
NAMES_NOTHING = frozenset(
    {int, float, bool, str, bytes, complex, type(None), range, FunctionType, BuiltinFunctionType, MethodType}
    | {ModuleType, torch.dtype, torch.device, torch.Size, torch.layout}
)
NameKey = tuple[int, ...]  # sorts best first: (0, seen) at the top level, (1, -depth, seen) in a function
DEEP = 1 << 48  # added to `seen` in the key of a top-level path two steps deep: after the plain top-level names
NAMESPACES = (types.SimpleNamespace, argparse.Namespace)  # objects that only hold attributes (configs, states)
ENDED = -1  # (ENDED, seen): a top-level name still bound to the tensor when the snippet ended, before all others


STARS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS  # (a function's `*args`, `**kwargs`: arguments too)
COMPREHENSIONS = frozenset({"<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"})  # (their frames' code names)
COMPILED_RESUME = "torch_dynamo_resume_in_"  # how torch.compile names the code it resumes a function with


@contextlib.contextmanager
def snippet_file(filename: str) -> Iterator[None]:
    """The snippet's frames known by `filename` while this lasts (the file's path when `gradwalk capture FILE` runs a
    file: Python compiles a file under its path, and tracebacks, `logging` and `inspect` show it): SNIPPET_FILE set
    in every engine module that compares frames' file names with it, and set back after."""
    if filename == SNIPPET_FILE:  # (a pasted snippet's: nothing to change)
        yield
        return
    saved = {module: vars(module)["SNIPPET_FILE"] for module in _comparing_modules()}
    for module in saved:
        vars(module)["SNIPPET_FILE"] = filename
    try:
        yield
    finally:  # (a module first imported meanwhile took `filename` from here: it gets this module's name back too)
        for module in _comparing_modules():
            vars(module)["SNIPPET_FILE"] = saved.get(module, saved[sys.modules[__name__]])


def _comparing_modules() -> list[types.ModuleType]:
    """The engine's modules that hold a SNIPPET_FILE of their own (this one among them)."""
    package = __name__.rpartition(".")[0]
    return [
        module
        for name, module in list(sys.modules.items())
        if type(name) is str  # (a key of the snippet's is passed by: its `==` and `startswith` would run its code)
        and (name == package or name.startswith(package + "."))
        and isinstance(getattr(module, "SNIPPET_FILE", 0), str)
    ]


def user_frame(frame: FrameType | None) -> FrameType | None:
    """The innermost frame running the snippet's own code, or None."""
    while frame is not None and frame.f_code.co_filename != SNIPPET_FILE:
        frame = frame.f_back
    return frame


class Names:
    """Every name seen for every recorded tensor and module of one run."""

    def __init__(
        self, current: Callable[[torch.Tensor, int | None], "TensorRecord"], latest: dict[int, "TensorRecord"]
    ):
        self.current = current  # the tensor's record as it is now (made if need be), given the line it was seen on
        self.latest = latest  # id(tensor) -> its newest record: the tensors the graph has a node for
        self.only_known = False  # (naming a large container's items past its first ones: see `_name_items`)
        self.top_code: CodeType | None = None  # the snippet's module code: its frame is the top level
        self.namespace: dict[str, Any] = {}  # the snippet's top level (its module's dict)
        self.seen = 0
        # id(tensor) -> the best (key, name) it has as a module's parameter or buffer (`model.fc.weight`) or as an
        # item of a top-level list, tuple or dict (`state['exp_avg']`): its later versions, made where no scan sees
        # that name (an optimizer's step, a loop that does not touch the container), are called so too
        self.held: dict[int, tuple[NameKey, str]] = {}
        # id(module) -> best (key, qualified name, a weak reference to that module). The run keeps no module alive:
        # a module made after another was freed may get its id (a model deep-copied in each step of a loop), and
        # must not get its name (see `_module_named`)
        self.modules: dict[int, tuple[NameKey, str, weakref.ref]] = {}
        self.containers: dict[str, tuple[int, int]] = {}  # top-level name -> (id, length) of the container scanned
        # (frame, line, bytecode offset, depth) last scanned
        self.scanned: tuple[FrameType | None, int | None, int, int] = (None, None, 0, 0)
        self.top_line: int | None = None  # the line the top level was last scanned on
        self.bindings: dict[str, list[int]] | None = None  # name -> the top level's lines that bind it (bound_line)
        self.changed_modules = False  # a module got a (better) name: module paths must be worked out again
        # the records of what the snippet left bound at its top level (by id: a record bound to 3,000 names is one)
        self.ended: dict[int, TensorRecord] = {}

    def _key(self, depth: int) -> NameKey:
        self.seen += 1
        return (0, self.seen) if depth == 0 else (1, -depth, self.seen)

    def _deep_key(self) -> NameKey:
        self.seen += 1
        return (0, DEEP + self.seen)

    def add(self, record: "TensorRecord", key: NameKey, name: str, end: bool = False) -> None:
        names = record.names
        # (a name the tensor had before it changed in place keeps the rank it had: `W1` bound before `params = [W1]`
        # still labels W1 after `p -= lr * p.grad` in a loop over params)
        if record.earlier:  # (most records have no earlier names: no generator made for them)
            key = next((known_key for known_key, known in record.earlier if known == name), key)
        if end:
            # A name still bound to it when the snippet ended goes before the top-level names it lost since
            # (`b = a; a = torch.zeros(2)`: the first tensor is `b`), in the order the names were first seen.
            self.ended[id(record)] = record
            for i, (known_key, known) in enumerate(names or ()):
                if known == name:
                    names[i] = ((ENDED, known_key[-1]), known)  # type: ignore[index]
                    return
            key = (ENDED, key[-1])
        if names is None:
            record.names = [(key, name)]
            return
        for i, (known_key, known) in enumerate(names):
            if known == name:  # (seen again: it keeps its better rank, `loss` a function gave it and the top level too)
                if key < known_key:
                    names[i] = (key, name)
                return
        names.append((key, name))

    def still_bound(self, tensor: torch.Tensor, earlier: list[tuple[NameKey, str]]) -> list[tuple[NameKey, str]]:
        """Of the top-level names a tensor's record had before it changed in place, those still bound to it: its new
        version's from the start (`bump_(h)` changing `h` twice in place: the version between is `h` too, where no
        look at the top level sees it)."""
        namespace = self.namespace
        return [(key, name) for key, name in earlier if key[0] == 0 and namespace.get(name) is tensor]

    def module_name(self, module: nn.Module) -> str | None:
        named = self._module_named(module)
        return None if named is None else named[1]

    def _module_named(self, module: nn.Module) -> tuple[NameKey, str] | None:
        """The best (key, name) `module` got, None if none: not the name of a module freed before it got its id."""
        named = self.modules.get(id(module))
        if named is None:
            return None
        if named[2]() is not module:
            del self.modules[id(module)]
            return None
        return named[0], named[1]

    def release(self) -> None:
        self.ended.clear()
        self.scanned = (None, None, 0, 0)  # (a frame of the snippet)

    # -- while the snippet runs -----------------------------------------------------------------------------

    def scan(self, frame: FrameType, direct: bool = False) -> None:
        """Name what the snippet bound in `frame`, and at its top level, since the last look (once per line, not
        per op). `direct`: the op was called by `frame` itself (not by a module or a function of torch's)."""
        last_frame, last_line, last_offset, last_depth = self.scanned
        offset = frame.f_lasti
        # (once per line: again when the line runs anew, a loop's one op at the same place each time, `h = h * 2`,
        # or a comprehension's next item, `[p - lr * g for p, g in ...]`, `[torch.tanh(t) for t in xs]`; not a
        # library call's next op, `F.cross_entropy`'s nll_loss after its log_softmax)
        again = offset == last_offset and (direct or frame.f_code.co_name in COMPREHENSIONS)
        if last_frame is frame and last_line == frame.f_lineno and offset >= last_offset and not again:
            self.scanned = (frame, last_line, offset, last_depth)
            return
        if last_frame is not frame:
            self._rescan_last(frame)
        self.scanned = (frame, frame.f_lineno, offset, 0)
        if frame.f_code.co_name.startswith(COMPILED_RESUME):  # (its locals are torch.compile's own: `___stack0`)
            return
        if frame.f_code is self.top_code:
            self._scan_top(frame)
            return
        depth, top, calling = 0, None, None
        caller: FrameType | None = frame
        while caller is not None:
            if caller.f_code.co_filename == SNIPPET_FILE:
                depth += 1
                if calling is None and caller is not frame:
                    calling = caller.f_lineno
                if caller.f_code is self.top_code:  # (the outermost of the snippet's frames: only gradwalk's past it)
                    top = caller
                    break
            caller = caller.f_back
        # (the top level first: its names win; looked at again on each new call made from it, which a loop makes
        # from one line: `loss = train_step(w)` bound the last call's result there since; torch's code between,
        # `h = checkpoint(f, h)`, changes nothing)
        if top is not None and (top.f_lineno != self.top_line or (last_frame is not frame and depth == 2)):
            self._scan_top(top)
        self.scanned = (frame, frame.f_lineno, offset, depth)
        if last_frame is frame:  # (bound since the last look: on the line then)
            self._name_all(frame.f_locals, depth, last_line, False)
            return
        # Come to this frame: its arguments came in with the call, and a tensor not seen before was made on the
        # calling line (`net(torch.randn(2, 3))`) or before it; its other variables were bound before this line.
        variables, code = frame.f_locals, frame.f_code
        given = set(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount + (code.co_flags & STARS).bit_count()])
        self._name_all({k: v for k, v in variables.items() if k in given}, depth, calling or frame.f_lineno, False)
        self._name_all({k: v for k, v in variables.items() if k not in given}, depth, frame.f_lineno, False)

    def _rescan_last(self, now: FrameType | None = None) -> None:
        """What the function looked at last bound since, most often just before it returned (`out = …; return out`,
        a line that runs no op), and what its callers that returned too bound (`res = helper(t); return res`, a
        caller that ran no op of its own): a frame keeps its variables once it has returned. `now`: the frame about
        to be scanned (its callers are running still, and are looked at as it is)."""
        frame, line, _, depth = self.scanned
        if frame is None or not depth:
            return
        running, top = set(), self.top_code
        while now is not None:
            running.add(id(now))
            if now.f_code is top:  # (the walk below stops at the top level: no frame past it is looked up)
                break
            now = now.f_back
        while frame is not None and depth > 0 and frame.f_code is not top and id(frame) not in running:
            if frame.f_code.co_filename == SNIPPET_FILE:
                self._name_all(frame.f_locals, depth, line, False)
                depth -= 1
            frame, line = frame.f_back, None

    def _scan_top(self, frame: FrameType) -> None:
        line, self.top_line = self.top_line, frame.f_lineno
        self._name_all(frame.f_locals, 0, line, True, now=frame.f_lineno)

    def bound_line(self, name: str, since: int | None, now: int | None) -> int | None:
        """The line a top-level name seen bound now, on line `now`, was bound on since the last look, on line
        `since`: the last statement binding it in between (`model = nn.Linear(3, 1)`, which runs no op of its own), as
        the snippet's source says; else `since`, the line running at the last look (`y = x * 2` binds `y` after its
        op). `None` stands for the snippet's start, or its end."""
        if self.bindings is None:
            self.bindings = binding_lines(linecache.getlines(self.top_code.co_filename) if self.top_code else [])
        lines = self.bindings.get(name)
        if not lines:
            return since
        start, end = since or 0, now if now is not None else 1 << 30
        if start > end:  # (a loop went back since: a statement after the last look, up to the loop's end, bound it)
            end = 1 << 30
        before = lines[: bisect.bisect_left(lines, end)]
        return before[-1] if before and before[-1] >= start else since

    def finish(self, namespace: dict[str, Any]) -> None:
        """Name what the snippet left bound at its top level: every tensor gets a node, module parameters and
        buffers and the items of lists, tuples and dicts included; and what the function last looked at bound since."""
        self._rescan_last()
        # (`for l in layers`: `l` is another layer now, or a loop's variable: `layers[3]` names the layer)
        loops = loop_names("".join(linecache.getlines(self.top_code.co_filename))) if self.top_code else set()
        for module_id, (key, path, _) in list(self.modules.items()):
            if key[0] == 0 and path.isidentifier() and (id(namespace.get(path)) != module_id or path in loops):
                del self.modules[module_id]
        self.containers.clear()
        self._name_all(namespace, 0, self.top_line, True, True)

    def _name_all(
        self,
        variables: dict[str, Any],
        depth: int,
        line: int | None,
        top: bool,
        end: bool = False,
        now: int | None = None,
    ) -> None:
        """Name what `variables` hold. Bound since the last look, on `line` (at the top level: by the source, between
        `line` and `now`, the line running now; see bound_line)."""
        for name, value in list(variables.items()):
            # (most of a frame's variables: numbers, functions, modules; a key not a string, put in `globals()` by
            # the snippet, names nothing: its hash, `==` and text would be the snippet's code)
            if kind_in(type(value), NAMES_NOTHING) or type(name) is not str:
                continue
            at = self.bound_line(name, line, now) if top else line
            if is_tensor(value):
                if top and now is not None and id(value) in self.latest:
                    at = now  # (known: a new node now only if it changed unannounced, through numpy: seen changed now)
                self.add(self.current(value, at), self._key(depth), name, end)
            elif is_module(value):
                if name != "self":
                    self.name_module(name, value, self._key(depth), at, end)
            elif is_container(value):
                if top:
                    self._name_items(name, value, at, end)
                else:
                    self._name_local_items(name, value, depth, at)
            elif top:
                attributes = own_attributes(value)
                if attributes is not None:
                    self._name_attributes(name, attributes, at, end)

    def _name_items(
        self, name: str, container: list | tuple | dict | deque, line: int | None, end: bool, deep: bool = False
    ) -> None:
        if not end:
            size = size_of(container)
            if size > CONTAINER_SCAN_ITEMS or self.containers.get(name) == (id(container), size):
                return
            self.containers[name] = (id(container), size)
        # As the snippet ends, the items of a large top-level container past its first CONTAINER_SCAN_ITEMS get a
        # name only if the graph has a node for them already: a dataset built in a loop, 10,000 samples made
        # unrecorded (or after the loop paused), got a node each and took the run past its graph limit.
        large = end and not deep and size_of(container) > CONTAINER_SCAN_ITEMS
        try:
            for index, (key, item) in enumerate(items_of(container)):
                if kind_in(type(item), NAMES_NOTHING):  # (a number, a string: `_name_step` finds nothing in it)
                    continue
                written = key_text(key)
                if written is not None:
                    if large:
                        self.only_known = index >= CONTAINER_SCAN_ITEMS
                    self._name_step(f"{name}[{written}]", item, line, end, deep, opens=False)
                    field = field_path(name, container, key)  # (`st.h` too: an alias)
                    if field is not None and is_tensor(item):
                        self._name_held(item, self._deep_key(), field, line, end)
        finally:
            if large:
                self.only_known = False

    def _name_local_items(
        self, name: str, container: list | tuple | dict | deque, depth: int, line: int | None
    ) -> None:
        """Name the tensors a function's list, tuple or dict holds, one step deep (`params['weight']` in a function
        torch.func calls), while it is small enough to look at on each line (CONTAINER_SCAN_ITEMS)."""
        if size_of(container) > CONTAINER_SCAN_ITEMS:
            return
        for key, item in items_of(container):
            if is_tensor(item):  # (first: a key's text is a repr, made for a tensor's items only)
                written = key_text(key)
                if written is not None:
                    self.add(self.current(item, line), self._key(depth), f"{name}[{written}]")

    def _name_attributes(
        self, name: str, attributes: dict[str, Any], line: int | None, end: bool, opens: bool = True
    ) -> None:
        """Name the tensors, modules and (`opens`) containers an object or class of the snippet's holds
        (`state.weight`): a path two steps deep, looked at again on every scan (an attribute can be rebound without
        a trace)."""
        if len(attributes) > CONTAINER_SCAN_ITEMS:
            return
        for attr, item in list(attributes.items()):
            # (a method, a number: nothing to name; nor a key not a string, put in `vars(obj)` by the snippet)
            if type(attr) is str and not kind_in(type(item), NAMES_NOTHING) and not attr.startswith("__"):
                self._name_step(f"{name}.{attr}", item, line, end, True, opens=opens)

    def _name_step(self, path: str, item: Any, line: int | None, end: bool, deep: bool, opens: bool) -> None:
        """Name what one step from a top-level name holds: a tensor, a module, or (one step more) a container's
        items: a top-level container's (`pairs[0][1]`) or an attribute's (`state.history[0]`, `opens`), or the
        attributes of an object of the snippet's in a top-level container or object (`agents[0].policy.weight`,
        `world.agent.policy.weight`); past those, the tensors of a list or dict (`logger.log['norms'][0]`,
        `run.stats.grads[0]`)."""
        if is_tensor(item):
            self._name_held(item, self._deep_key() if deep else self._key(0), path, line, end)
        elif is_module(item) and (end or (self._module_named(item) or ((1,), ""))[0][0] != 0):
            # (a module named at the top level already, a layer of `model` listed in `layers`, keeps its name, and
            # gives its tensors this path as an alias when the snippet ends: `layers[0].weight`)
            self.name_module(path, item, self._deep_key() if deep else self._key(0), line, end)
        elif (opens or not deep) and is_container(item):
            self._name_items(path, item, line, end, True)
        elif opens or not deep:  # (one object more: `agents[0].policy.weight`, `world.agent.policy.weight`)
            attributes = own_attributes(item)
            if attributes is not None:
                self._name_attributes(path, attributes, line, end, opens=False)
        elif is_container(item) and size_of(item) <= CONTAINER_SCAN_ITEMS:  # (a last step, to tensors only)
            for key, inner in items_of(item):
                written = key_text(key)
                if written is not None and is_tensor(inner):
                    self._name_held(inner, self._deep_key(), f"{path}[{written}]", line, end)

    def name_module(self, name: str, module: nn.Module, key: NameKey, line: int | None, end: bool = False) -> None:
        """Name a module, its submodules, and their parameters and buffers (`model.0.weight`), in the order and
        with the names of `module.named_modules(prefix=name)`, and the tensors they keep as plain attributes
        (`model.hidden`, ranked as a path two steps deep); their tensors get nodes."""
        if not end and (self._module_named(module) or ((2,), ""))[0][:1] <= key[:1]:
            return  # named at this level already
        stack, seen = [(name, module)], set()
        while stack:
            path, sub = stack.pop()
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            if key < (self._module_named(sub) or ((2,), ""))[0]:
                self.modules[id(sub)] = (key, path, weakref.ref(sub))
                self.changed_modules = True
            parameters, buffers, children, own = module_parts(sub)
            for tensors in (parameters, buffers):
                for attr, tensor in list(tensors.items()):
                    if type(attr) is str and is_tensor(tensor):
                        self._name_held(tensor, key, f"{path}.{attr}" if path else attr, line, end)
            for attr, value in list(own.items()):
                # (most of a module's attributes are its own: `_parameters`)
                if type(attr) is str and attr[:1] != "_" and is_tensor(value):
                    attr_key = (*key[:-1], DEEP + key[-1])
                    self._name_held(value, attr_key, f"{path}.{attr}" if path else attr, line, end)
            if children:
                prefix = f"{path}." if path else ""
                stack += [
                    (prefix + k, child)
                    for k, child in reversed(children.items())
                    if type(k) is str and is_module(child)
                ]

    def _name_held(self, tensor: torch.Tensor, key: NameKey, name: str, line: int | None, end: bool) -> None:
        if self.only_known and id(tensor) not in self.latest:
            return
        if key < self.held.get(id(tensor), ((2,), ""))[0]:
            self.held[id(tensor)] = (key, name)
        self.add(self.current(tensor, line), key, name, end)


def own_attributes(value: Any) -> dict[str, Any] | None:
    """The attributes of an object or class the snippet defined (a dataclass, a config class), or of a plain
    namespace, read from its `__dict__` without running any of its code (app.capture.peek); None for anything
    else."""
    if issubclass(type(value), type):  # (a class: never `isinstance`, which reads a `__class__`)
        own = defined_by_snippet(value) and not issubclass(value, nn.Module)
        return dict(class_vars(value)) if own else None
    kind = type(value)
    if not defined_by_snippet(kind) and not kind_in(kind, NAMESPACES):
        return None
    attributes, slots = instance_vars(value), slot_values(value)
    return {**slots, **(attributes or {})} if slots else attributes


def top_level_names(records: "Iterable[TensorRecord]") -> set[str]:
    """Every name the snippet's top level gave a tensor."""
    return {name for record in records for key, name in record.names or () if key[0] != 1}


def lost_names(records: "Iterable[TensorRecord]") -> set[str]:
    """Every top-level name some tensor had and no longer had when the snippet ended (rebound to another)."""
    return {name for record in records for key, name in record.names or () if key[0] == 0}


def rebound_back(
    records: "Iterable[TensorRecord]", ended: "Iterable[TensorRecord]", local: Collection[str] = ()
) -> dict[int, set[str]]:
    """id(record) -> the top-level names it had that the snippet later bound back to a tensor whose node came before
    it (`b = ...; x = ...; x = b`, a loop variable over tensors recorded earlier): those names end on the earlier
    node, and the later one, another tensor's, no longer carries them (the last node called by a name is the
    tensor bound to it). `local`: top-level names that label no node (`alias_only`), which a function's own name
    on a later node gives up too (`v = data` and `def f(v)` called on another tensor: the last node listing `v`
    would be that one). A name that labels its own node keeps a function's use of it as an alias (`def f(x)` on
    a top-level `x`)."""
    ended_on = {name: record for record in ended for key, name in record.names or () if key[0] == ENDED}
    if not ended_on:
        return {}
    dropped: dict[int, set[str]] = {}
    past: dict[str, TensorRecord] = {}  # name -> the record it ended on, once the walk is past that record
    for record in records:
        for key, name in record.names or ():
            if key[0] == 1 and name not in local:  # (a function's own name: not the top level's to take back)
                continue
            last = past.get(name)
            if last is not None and last.tensor is not record.tensor:
                dropped.setdefault(id(record), set()).add(name)
            elif ended_on.get(name) is record:
                past[name] = record
    return dropped


def alias_only(
    ended: "Iterable[TensorRecord]",
    top_level: Collection[str],
    lost: Collection[str],
    dropped: dict[int, set[str]],
    loops: Collection[str] = (),
) -> set[str]:
    """The top-level names still bound when the snippet ended to a tensor labelled by another of its names (`a = b =
    c`: c's node is `a`, and `b` one of its aliases): no node is labelled by them, else the last node called `b`
    would be a tensor b had left (its aliases on c's node name it)."""
    names: set[str] = set()
    for record in {id(r): r for r in ended}.values():
        var, _ = chosen(record, top_level, lost, dropped.get(id(record), ()), loops=loops)
        names.update(name for key, name in record.names or () if key[0] == ENDED and name != var)
    return names


def chosen(
    record: "TensorRecord",
    top_level: Collection[str] = (),
    lost: Collection[str] = (),
    dropped: Collection[str] = (),
    not_var: Collection[str] = (),
    loops: Collection[str] = (),
) -> tuple[str | None, list[str]]:
    """The record's `var` and `aliases`: its names best first (top level, then the innermost function's). A
    top-level loop's variable (`loops`) and the paths through it are aliases where the tensor has another top-level
    name (`ws[1]`, `layers[1].weight`: the last item as every other, not `w`, `l.weight`). A
    function's local name that the top level gives another tensor (`def f(x): x = x - x.mean()` called on a
    top-level `x`) is an alias only: that name labels the top level's tensor, and this one goes by its expression.
    Of the names a tensor still had when the snippet ended, one another tensor lost to it labels it, the name then
    labelling the tensor it is bound to (`params = [a, b]; a, b = b, a`: the first tensor is `b`, not
    `params[0]`, while the second lists `b` as an alias). Names of equal rank keep the order they were seen in."""
    if not record.names:
        return None, []
    names = [named for named in record.names if named[1] not in dropped] if dropped else record.names
    # (a module's parameters share its key: a parameter it holds twice, a tied weight, keeps the first name
    # `named_parameters` gives it, not the alphabetically first)
    ranked = sorted(names, key=lambda named: named[0])
    if any(key[0] == ENDED and key[-1] < DEEP for key, _ in ranked) and any(key[-1] >= DEEP for key, _ in ranked):
        # (a one-step name still bound when the snippet ended wins over a deeper path to the tensor)
        not_var = {*not_var, *(n for key, n in ranked if key[0] != 1 and key[-1] >= DEEP)}
    if loops:  # (`for w in ws`: the last item is `ws[1]` as the others are, `w` an alias)
        looped = {n for _, n in ranked if re.split(r"[.\[]", n, maxsplit=1)[0] in loops}
        # (not for a name the tensor has lost since, while the loop's variable still holds it: `for p in
        # model.parameters()` and then `model[2] = nn.Linear(...)`, the last `p` no longer `model.2.bias`)
        ended = any(key[0] == ENDED for key, n in ranked if n in looped)
        if looped and any(
            key[0] != 1 and n not in looped and n not in not_var and (key[0] == ENDED or not ended) for key, n in ranked
        ):
            not_var = {*not_var, *looped}
    var = next((n for key, n in ranked if key[0] == ENDED and n in lost and n not in not_var), None) if lost else None
    if var is None:
        var = next((n for key, n in ranked if (key[0] != 1 or n not in top_level) and n not in not_var), None)
    return var, [name for _, name in ranked if name != var]


def loop_names(source: str) -> set[str]:
    """The names the top level's `for` statements bind (in its blocks too, not in functions or classes)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    found: set[str] = set()
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        statement = statements.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, (ast.For, ast.AsyncFor)):
            found |= {node.id for node in walk(statement.target) if isinstance(node, ast.Name)}
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(statement, field, ()):
                statements += child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
    return found


def binding_lines(lines: list[str]) -> dict[str, list[int]]:
    """Name -> the lines of the statements of the top level (not in a function or class) that bind it, in order:
    assignments, `for` targets, `with ... as`."""
    try:
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, list[int]] = {}
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        statement = statements.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = [statement.target]
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
        for target in targets:
            for node in walk(target):
                if isinstance(node, ast.Name):
                    found.setdefault(node.id, []).append(statement.lineno)
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(statement, field, ()):
                statements += child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
    return {name: sorted(set(lines)) for name, lines in found.items()}
