"""Whether a loop of the snippet's runs its last iteration: a paused recording (past GRADWALK_MAX_RECORDED_PASSES)
records that iteration again, so that what the loop leaves bound (`y_pred`, `loss` after `for t in range(2000)`)
has its graph and gradients as torch has them at the end.

Known only for `for` loops whose end can be read without running any of the snippet's code: over `range(...)` of
whole numbers (written, bound to a name or held a short path from one: `args.epochs`, `cfg['steps']`, `x.shape[0]`,
`x.size(0)`; `len(...)` of a list, tuple, dict, string, plain tensor, numpy array or DataLoader; and sums or
products of those), over a list or tuple so held (its last item, by identity, if no other item is it) or written
out (`[0.01, 0.1, 1.0]`: its last item, if no other is equal to it), over `zip` of such lists as long, or over
`enumerate(...)` of any (its count), over any of them through tqdm's progress bar (`tqdm(loader)`, `trange(n)`,
`pbar = tqdm(range(n))`: tqdm's own, which gives the items unchanged), over a range bound to a name, or over a
DataLoader (the batches its iterator gave, as torch counts them, seen where the loop's header takes the next one) of
a TensorDataset, a list, a `random_split` part, or of a Dataset of the snippet's own whose `__len__` is one `return`
of such a length (`return len(self.x)`). Every loop around the running line, in each of the snippet's frames up to
its top level, must be at its last iteration; a `while` loop, an early stop's `break`, a comprehension or any other
iterable makes it unknown, and the iteration is not recorded: what it left bound keeps its graph all the same, walked
as the snippet ends (`Recorder._walk_unrecorded_bound`), its nodes not run in a recorded pass.
"""

import ast
import builtins
import linecache
import operator
import sys
from dataclasses import dataclass
from functools import lru_cache
from types import CodeType, FrameType, FunctionType, ModuleType
from typing import Any

import numpy
import torch
from torch._C import TensorBase  # (its methods: a wrapper the snippet put on torch.Tensor is never called)
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, TensorDataset

from ..expression import walk
from .naming import COMPREHENSIONS, SNIPPET_FILE, own_attributes
from .peek import class_vars, instance_vars, kind_in, mro_of
from .torch_internals import NEXT_BATCH, batches_given

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv}
_SIZED = (list, tuple, dict, str, range)
_PLAIN_TENSORS = (torch.Tensor, torch.nn.Parameter)  # (a subclass's `shape` or `size` may be the snippet's code)
_CONSTANTS = (int, float, complex, str, bytes, bool, type(None))  # (compared by value: `==` runs none of its code)
# The code names of frames whose calls come in a number not known beforehand (a comprehension's, a lambda's): no
# loop of the snippet's is known to be at its last iteration while one of them runs
LOOPS_UNKNOWN = COMPREHENSIONS | {"<lambda>"}


@dataclass(frozen=True)
class Loop:
    first: int  # the line of its `for` (or `while`)
    last: int  # the last line of its body (not of its `else`)
    target: tuple[str, ...] | None  # the names each iteration binds (`x`, `xb, yb`); None: others, or a `while`
    index: str | None  # the first name of a tuple it binds (`i` of `for i, batch in enumerate(batches)`)
    over: ast.expr | None  # what it iterates over; None for a `while` loop


def _first_line(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The line its code object starts on (`co_firstlineno`): its first decorator's, else its `def`'s."""
    return min([function.lineno, *(d.lineno for d in function.decorator_list)])


@lru_cache(maxsize=8)
def loops_of(source: str) -> dict[int | None, tuple[Loop, ...]]:
    """Every loop of the snippet by the code it is in: None for the top level, a function's first line for its own
    (nested functions apart; a class body's loops under minus its line, which no code's first line is)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[int | None, list[Loop]] = {}
    pending: list[tuple[ast.stmt, int | None]] = [(statement, None) for statement in tree.body]
    while pending:
        statement, scope = pending.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pending += [(child, _first_line(statement)) for child in statement.body]
            continue
        if isinstance(statement, ast.ClassDef):  # (its methods: each a scope of its own)
            pending += [(child, -statement.lineno) for child in statement.body]
            continue
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            end = max(child.end_lineno or child.lineno for child in statement.body)
            target = getattr(statement, "target", None)
            parts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
            names = [part.id for part in parts if isinstance(part, ast.Name)]
            name = tuple(names) if len(names) == len(parts) else None
            index = parts[0].id if len(parts) > 1 and isinstance(parts[0], ast.Name) else None
            over = statement.iter if isinstance(statement, (ast.For, ast.AsyncFor)) else None
            found.setdefault(scope, []).append(Loop(statement.lineno, end, name, index, over))
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(statement, field, ()):
                children = child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
                pending += [(grandchild, scope) for grandchild in children]
    return {scope: tuple(loops) for scope, loops in found.items()}


@lru_cache(maxsize=1024)
def _around(source: str, scope: int | None, line: int) -> tuple[Loop, ...]:
    """The loops of `scope` whose body holds `line`."""
    return tuple(loop for loop in loops_of(source).get(scope, ()) if loop.first <= line <= loop.last)


Spaces = tuple[dict[str, Any], ...]  # a frame's locals, globals and builtins
Alone = dict[tuple[int, int], tuple[Any, bool]]  # (id, length) of a list -> (its last item, no other item is it)
# (id of a frame, line of a loop's header) -> the DataLoader iterator that header took its last batch from
Batching = dict[tuple[int, int], Any]


def _lookup(name: str, spaces: Spaces) -> Any:
    """What `name` stands for, as Python looks it up in a frame (a dict's look, running none of the snippet's code)."""
    for space in spaces:
        if name in space:
            return space[name]
    return None


def _read(expr: ast.expr, spaces: Spaces) -> Any:
    """What a name, or a short path from one, holds, read without running any of the snippet's code; else None:
    `epochs`, `args.epochs` and `cfg.train.steps` (an object of the snippet's classes, or a namespace), `cfg['epochs']`
    and `sizes[0]` (a dict, list or tuple), `x.shape[0]`, `x.size(0)`, `x.ndim` and `x.numel()` (a plain tensor)."""
    if isinstance(expr, ast.Name):
        return _lookup(expr.id, spaces)
    if isinstance(expr, ast.Attribute):
        base = _read(expr.value, spaces)
        if kind_in(type(base), _PLAIN_TENSORS):
            return base.shape if expr.attr == "shape" else TensorBase.dim(base) if expr.attr == "ndim" else None
        attributes = own_attributes(base) if base is not None else None
        if attributes is None:
            return None
        if expr.attr not in attributes and not issubclass(type(base), type):  # (a class attribute: `cfg.epochs`)
            attributes = own_attributes(type(base)) or {}
        return attributes.get(expr.attr)
    if isinstance(expr, ast.Subscript):
        base, key = _read(expr.value, spaces), expr.slice
        if type(base) is dict and isinstance(key, ast.Constant) and type(key.value) in (str, int):
            return dict.get(base, key.value)
        index = _whole(key, spaces) if kind_in(type(base), (list, tuple, torch.Size)) else None
        if index is not None and -len(base) <= index < len(base):
            return base[index]
        return None
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.keywords:
        tensor = _read(expr.func.value, spaces)
        if not kind_in(type(tensor), _PLAIN_TENSORS) or expr.func.attr not in ("size", "dim", "numel"):
            return None
        if expr.func.attr != "size":
            return (
                (TensorBase.dim(tensor) if expr.func.attr == "dim" else TensorBase.numel(tensor))
                if not expr.args
                else None
            )
        if not expr.args:
            return tensor.shape
        dim = _whole(expr.args[0], spaces) if len(expr.args) == 1 else None
        return (
            tensor.shape[dim] if dim is not None and -TensorBase.dim(tensor) <= dim < TensorBase.dim(tensor) else None
        )
    return None


def _whole(expr: ast.expr, spaces: Spaces) -> int | None:
    """A whole number the expression gives, read without running any of the snippet's code; else None."""
    if isinstance(expr, ast.Constant):
        return expr.value if type(expr.value) is int else None
    call = _called(expr, "len", spaces, len)
    if call is not None:
        return _length(call.args[0], spaces) if len(call.args) == 1 else None
    if isinstance(expr, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
        value = _read(expr, spaces)
        return value if type(value) is int else None
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        inner = _whole(expr.operand, spaces)
        return None if inner is None else -inner
    if isinstance(expr, ast.BinOp) and type(expr.op) in _OPS:
        left, right = _whole(expr.left, spaces), _whole(expr.right, spaces)
        if left is None or right is None or (isinstance(expr.op, ast.FloorDiv) and right == 0):
            return None
        return _OPS[type(expr.op)](left, right)
    return None


def _called(expr: ast.expr, name: str, spaces: Spaces, builtin: Any, keywords: tuple[str, ...] = ()) -> ast.Call | None:
    """`expr` if it calls the builtin `name` (not a function of the snippet's that took its name), without keywords
    but those given."""
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == name
        and all(keyword.arg in keywords for keyword in expr.keywords)
        and _lookup(name, spaces) is builtin
    ):
        return expr
    return None


def _steps(expr: ast.expr, spaces: Spaces) -> range | None:
    """The range a `range(...)` call of whole numbers the code holds gives; else None."""
    call = _called(expr, "range", spaces, range)
    if call is None or not 1 <= len(call.args) <= 3:
        return None
    bounds = [_whole(arg, spaces) for arg in call.args]
    if None in bounds or (len(bounds) == 3 and bounds[2] == 0):
        return None
    return range(*bounds)  # type: ignore[arg-type]


def _length(expr: ast.expr, spaces: Spaces) -> int | None:
    """How many items iterating over `expr` gives: a range's, or a list's, tuple's, dict's, string's or plain
    tensor's that a name or a short path from one holds (`_read`), or a list written out; else None."""
    expr = _unwrapped(expr, spaces)
    if isinstance(expr, (ast.List, ast.Tuple)):
        return None if any(isinstance(item, ast.Starred) for item in expr.elts) else len(expr.elts)
    steps = _steps(expr, spaces)
    if steps is not None:
        return len(steps)
    zipped = _called(expr, "zip", spaces, zip)
    if zipped is not None and zipped.args:  # (`enumerate(zip(xs, ys))`: as many as the shortest gives)
        counts = [_length(arg, spaces) for arg in zipped.args]
        return None if None in counts else min(count for count in counts if count is not None)
    value = _through_bar(_read(expr, spaces))
    if type(value) in _SIZED:
        return len(value)
    if type(value) is torch.Tensor and TensorBase.dim(value) > 0:
        return int(value.shape[0])
    if type(value) is numpy.ndarray and value.ndim > 0:
        return int(value.shape[0])
    return _batches(value) if type(value) is DataLoader else None


def _batches(loader: DataLoader) -> int | None:
    """How many batches a DataLoader gives, with torch's samplers: over a TensorDataset (or a Subset of one,
    `random_split`'s) where torch's own code counts them (`len(loader)`), over a Dataset of the snippet's own whose
    `__len__` only returns what can be read without running its code (`return len(self.x)`); None for any other."""
    held = vars(loader)
    dataset, batches, sampler = held.get("dataset"), held.get("batch_sampler"), held.get("sampler")
    if type(sampler) not in (SequentialSampler, RandomSampler):
        return None
    if batches is not None and type(batches) is not BatchSampler:
        return None
    if type(dataset) is TensorDataset:
        return len(loader)
    indices = vars(dataset).get("indices") if type(dataset) is Subset else None  # (`random_split`'s: its own length)
    if type(dataset) in (list, tuple):  # (`DataLoader(list(zip(X, Y)), ...)`)
        indices = dataset
    size = _own_length(dataset)
    if isinstance(indices, (list, tuple, range)) and type(indices) in (list, tuple, range):  # (no `__len__` of its own)
        size = len(indices)
    if size is None or size < 0:
        return None
    samples = vars(sampler).get("_num_samples") if type(sampler) is RandomSampler else None
    samples = samples if type(samples) is int else size
    if batches is None:  # (batch_size=None: one sample a batch)
        return samples
    size_of, drop = vars(batches).get("batch_size"), vars(batches).get("drop_last")
    if type(size_of) is not int or size_of < 1 or type(drop) is not bool:
        return None
    return samples // size_of if drop else -(-samples // size_of)


def _own_length(dataset: Any) -> int | None:
    """`len(dataset)` of a Dataset of the snippet's own whose `__len__` is one `return` of what `_whole` reads
    (`len(self.x)`, `self.n`, `self.x.shape[0]`), read without running its code; None for any other."""
    kind = type(dataset)
    if not issubclass(kind, Dataset):
        return None
    method = next((class_vars(klass)["__len__"] for klass in mro_of(kind) if "__len__" in class_vars(klass)), None)
    if type(method) is not FunctionType or method.__code__.co_filename != SNIPPET_FILE:
        return None
    code = method.__code__
    if code.co_argcount != 1 or method.__defaults__ or code.co_flags & 0x0C:  # (one argument: no *args, **kwargs)
        return None
    returned = _one_return("".join(linecache.getlines(SNIPPET_FILE))).get(code.co_firstlineno)
    if returned is None:
        return None
    return _whole(returned, ({code.co_varnames[0]: dataset}, method.__globals__, vars(builtins)))


@lru_cache(maxsize=8)
def _one_return(source: str) -> dict[int, ast.expr]:
    """What each function of the snippet that is one `return` (after its docstring) returns, by its first line."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[int, ast.expr] = {}
    for node in walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
                found[_first_line(node)] = body[0].value
    return found


def _at_last(loop: Loop, spaces: Spaces, alone: Alone, batches: Any = None) -> bool:
    """Whether `loop`, running in the frame of `spaces`, is at its last iteration (False where that cannot be
    known). `batches`: the DataLoader iterator its header took the last batch from, if one was seen."""
    over = _unwrapped(loop.over, spaces) if loop.over is not None else None
    if over is None:
        return False
    counted = _called(over, "enumerate", spaces, enumerate, ("start",)) if loop.index is not None else None
    if counted is not None and 1 <= len(counted.args) + len(counted.keywords) <= 2 and counted.args:
        count = _length(counted.args[0], spaces)
        given = counted.args[1] if len(counted.args) == 2 else counted.keywords[0].value if counted.keywords else None
        start = _whole(given, spaces) if given is not None else 0
        index = spaces[0].get(loop.index or "")
        return bool(count) and start is not None and type(index) is int and index == start + (count or 0) - 1
    if loop.target is None:
        return False
    steps = _steps(over, spaces)
    if steps is not None:
        value = spaces[0].get(loop.target[0]) if len(loop.target) == 1 else None
        return len(steps) > 0 and type(value) is int and value == steps[-1]
    zipped = _called(over, "zip", spaces, zip)
    if zipped is not None and len(zipped.args) == len(loop.target) > 1:  # `for xb, yb in zip(xs, ys)`: lists as long
        lists = [_read(arg, spaces) for arg in zipped.args]
        if any(type(items) not in (list, tuple) or not items or not _last_alone(items, alone) for items in lists):
            return False
        if len({len(items) for items in lists}) != 1:
            return False
        return all(spaces[0].get(name) is items[-1] for name, items in zip(loop.target, lists, strict=True))
    if isinstance(over, (ast.List, ast.Tuple)):
        written = _written(over, spaces)
        if not written or any(_same(item, written[-1]) for item in written[:-1]):
            return False  # (`[0.1, 0.1]`: where it ends is not known)
        last = written[-1]
        if len(loop.target) == 1:
            return _same(spaces[0].get(loop.target[0]), last)
        return (
            type(last) is tuple
            and len(last) == len(loop.target)
            and all(_same(spaces[0].get(name), part) for name, part in zip(loop.target, last, strict=True))
        )
    if isinstance(over, (ast.Name, ast.Attribute, ast.Subscript)):
        items = _through_bar(_read(over, spaces))
        if type(items) is range:  # (`steps = range(500)`, or a progress bar over it: `pbar = tqdm(range(500))`)
            value = spaces[0].get(loop.target[0]) if len(loop.target) == 1 else None
            return len(items) > 0 and type(value) is int and value == items[-1]
        if type(items) is DataLoader:
            return _last_batch(items, batches)
        if type(items) not in (list, tuple) or not items or not _last_alone(items, alone):
            return False
        last = items[-1]
        if len(loop.target) == 1:
            return spaces[0].get(loop.target[0]) is last
        return (
            type(last) in (list, tuple)
            and len(last) == len(loop.target)
            and all(spaces[0].get(name) is part for name, part in zip(loop.target, last, strict=True))
        )
    return False


def _unwrapped(expr: ast.expr, spaces: Spaces) -> ast.expr:
    """What a loop over `expr` gets its items from: tqdm's progress bar gives those of what it wraps unchanged
    (`tqdm(loader, desc=...)`: the loader's; `trange(a, b)`: `range(a, b)`'s); any other `expr` is its own."""
    if not isinstance(expr, ast.Call) or any(isinstance(arg, ast.Starred) for arg in expr.args):
        return expr
    bar = _progress_bar(expr.func, spaces)
    if bar == "tqdm":
        given = expr.args[0] if expr.args else next((k.value for k in expr.keywords if k.arg == "iterable"), None)
        return expr if given is None else given
    if bar == "trange" and 1 <= len(expr.args) <= 3:
        return ast.Call(func=ast.Name(id="range", ctx=ast.Load()), args=expr.args, keywords=[])
    return expr


def _progress_bar(func: ast.expr, spaces: Spaces) -> str | None:
    """ "tqdm" or "trange" if `func` names tqdm's own (`tqdm`, `tqdm.tqdm`, `tqdm.auto.trange`; never a class or
    function of the snippet's that took the name), else None; looked up without running any of the snippet's code."""
    std = sys.modules.get("tqdm.std")
    if std is None:  # (tqdm was never imported)
        return None
    path: list[str] = []
    while isinstance(func, ast.Attribute):
        path.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    found = _lookup(func.id, spaces)
    for attr in reversed(path):  # (through modules only: `tqdm.auto.tqdm`)
        found = vars(found).get(attr) if type(found) is ModuleType else None
    # (`issubclass(type(found), type)`, not isinstance: that reads an object's own `__class__`, which may be the
    # snippet's property)
    if issubclass(type(found), type) and issubclass(found, vars(std)["tqdm"]):
        return "tqdm" if _of_tqdm(class_vars(found).get("__module__")) else None
    if type(found) is FunctionType and found.__name__ == "trange" and _of_tqdm(found.__module__):
        return "trange"
    return None


def _through_bar(value: Any) -> Any:
    """What a progress bar of tqdm's own iterates over (`pbar = tqdm(loader)`, then `for xb, yb in pbar`: the loader),
    read from its attributes without running any of its code; any other value is itself."""
    std = sys.modules.get("tqdm.std")
    kind = type(value)
    if std is None or not issubclass(kind, vars(std)["tqdm"]) or not _of_tqdm(class_vars(kind).get("__module__")):
        return value
    return (instance_vars(value) or {}).get("iterable")


def _of_tqdm(module: Any) -> bool:
    """Whether a class's or function's `__module__` is tqdm's (a string: the snippet's own object may be there)."""
    return type(module) is str and module.startswith("tqdm")


def _written(expr: ast.List | ast.Tuple, spaces: Spaces) -> list[Any] | None:
    """The items of a list written out in the loop's header (`[0.01, 0.1]`, `[("sgd", 0.1), ("adam", 1e-3)]`,
    `[model_a, model_b]`), read without running any of the snippet's code; None if one cannot be read."""
    items: list[Any] = []
    for item in expr.elts:
        if isinstance(item, ast.Constant) and type(item.value) in _CONSTANTS:
            items.append(item.value)
        elif isinstance(item, ast.Tuple):
            parts = _written(item, spaces)
            if parts is None:
                return None
            items.append(tuple(parts))
        elif isinstance(item, (ast.Name, ast.Attribute, ast.Subscript)):
            value = _read(item, spaces)
            if value is None:
                return None
            items.append(value)
        else:
            return None
    return items


def _same(value: Any, item: Any) -> bool:
    """Whether a loop's name holds `item` of a list written out: a constant by its value (of the same type), a tuple
    part by part, anything else by identity."""
    if type(item) in _CONSTANTS:
        return type(value) is type(item) and value == item
    if type(item) is tuple:
        return (
            type(value) is tuple
            and len(value) == len(item)
            and all(_same(v, i) for v, i in zip(value, item, strict=True))
        )
    return value is item


def _last_batch(loader: DataLoader, batches: Any) -> bool:
    """Whether the DataLoader iterator `batches` (`iter(loader)`, seen making a batch) gave the loader's last batch
    (torch counts what it gave: `_num_yielded`)."""
    given, own = batches_given(batches), vars(loader)
    if given is None:
        return False
    sampler = own.get("batch_sampler") or own.get("sampler")
    return given[0] is sampler and given[1] == _batches(loader)


def _last_alone(items: list | tuple, alone: Alone) -> bool:
    """Whether a list's last item is no other item too (`[batch] * 6` repeats it: the loop's end is not known);
    worked out once per list and length (`alone`, the run's)."""
    key = (id(items), len(items))
    found = alone.get(key)
    if found is None or found[0] is not items[-1]:
        found = alone[key] = (items[-1], not any(item is items[-1] for item in items[:-1]))
    return found[1]


def last_iteration(
    frame: FrameType | None, top: CodeType | None, source: str, alone: Alone, batching: Batching
) -> bool:
    """Whether the snippet's code running in `frame` (and in its callers of the snippet's) is in the last iteration
    of every loop around it, and in one loop at least. `alone`: the run's own record of its lists' last items;
    `batching`: of the DataLoader iterators its loops' headers took batches from (`note_batches`)."""
    inside, innermost = False, True
    while frame is not None:
        code = frame.f_code
        if code.co_filename == SNIPPET_FILE:
            if code.co_name in LOOPS_UNKNOWN:
                return False  # (a comprehension's or a lambda's calls: how many come is not known)
            scope = None if code is top else code.co_firstlineno
            around = _around(source, scope, frame.f_lineno)
            if not innermost and any(loop.first == frame.f_lineno < loop.last for loop in around):
                return (
                    False  # (its header gets the next item, a Dataset's `__getitem__`: the names hold the one before)
                )
            innermost = False
            spaces = (frame.f_locals, frame.f_globals, frame.f_builtins) if around else ()
            for loop in around:
                if not _at_last(loop, spaces, alone, batching.get((id(frame), loop.first))):
                    return False
                inside = True
            if code is top:
                break
        frame = frame.f_back
    return inside


def in_loop_header(frame: FrameType, top: CodeType | None, source: str) -> bool:
    """Whether the snippet's code running in `frame` is a loop's header getting its next item (a DataLoader's batch,
    made by torch's calls): the loop's names still hold the iteration before, so whether the next is the last is
    not known there (a one-line loop's header is its body too: not counted)."""
    code = frame.f_code
    scope = None if code is top else code.co_firstlineno
    line = frame.f_lineno
    return any(loop.first == line < loop.last for loop in _around(source, scope, line))


def note_batches(
    caller: FrameType | None, frame: FrameType, top: CodeType | None, source: str, batching: Batching
) -> None:
    """A call made from a loop's header in `frame` (`caller`, its innermost frame): if a DataLoader iterator is
    making the header's next batch there (torch's `__next__` among the frames between), it is the loop's."""
    while caller is not None and caller is not frame:
        if caller.f_code is NEXT_BATCH:
            iterator = caller.f_locals.get("self")
            code = frame.f_code
            line = frame.f_lineno
            for loop in _around(source, None if code is top else code.co_firstlineno, line):
                if loop.first == line:
                    batching[(id(frame), line)] = iterator
            return
        caller = caller.f_back
