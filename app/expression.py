"""Names from the code: a tensor the snippet never named is called by the source expression that made it (`X @ W`,
`(y_pred - y_true) ** 2`, `torch.tanh(…) * 2`), found from its op's line in the snippet and Python's positions of the
expressions on that line. The one place that names them: the capture engine calls it at export (the Run's `expr`),
before the explanations, whose formulas use the same names; labels, the page's inspector and the explanations read
them from the Run (render.py works them out again for runs stored before `expr` existed).

A pure function of the snippet and the forward graph's dicts: no torch, no pydantic, nothing run. The ops of a line
are matched, in the order they ran, to the expressions that start on it in the order Python evaluates them (operands
before their operator, arguments before their call), so `y = torch.tanh(x @ w + 1) * 2` gives `x @ w`, `x @ w + 1`,
`torch.tanh(x @ w + 1)` and `torch.tanh(…) * 2`: an operand that has a node of its own (drawn just above) is written
`(…)` once the whole is long. A module's ops are named by its call (`model(x)`) for the call's last result, and by
the layer and the op (`model.0 → linear`) inside it; a custom Function's output by its `.apply(...)` call. When
nothing matches, the op that made it names it, with the function it ran inside when that is a library's (`jacobian →
detach`).
"""

import ast
import bisect
import re
import textwrap
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk`, without its import of `collections` as it runs (from `sys.modules`, where a snippet may have put
    an object of its own: gradwalk's code walking the snippet's source then raised, and the run was lost)."""
    todo = deque([node])
    while todo:
        node = todo.popleft()
        todo.extend(ast.iter_child_nodes(node))
        yield node


EXPRESSION_MAX_CHARS = 28  # longer expressions write their compound operands as (…), then are cut
SHORT_CHARS = 24  # an expression this short is written whole (`(y_pred - y_true) ** 2`)

_BINARY: dict[type, tuple[str, frozenset[str]]] = {
    ast.Add: ("+", frozenset({"add", "radd"})),
    ast.Sub: ("-", frozenset({"sub", "rsub"})),
    ast.Mult: ("*", frozenset({"mul", "rmul"})),
    ast.Div: ("/", frozenset({"div", "truediv", "rtruediv", "true_divide", "rdiv"})),
    ast.FloorDiv: ("//", frozenset({"floordiv", "rfloordiv", "floor_divide"})),
    ast.Mod: ("%", frozenset({"mod", "rmod", "remainder", "fmod"})),
    ast.Pow: ("**", frozenset({"pow", "rpow", "float_power"})),
    ast.MatMult: ("@", frozenset({"matmul", "rmatmul", "mm", "bmm", "mv", "dot"})),
    ast.BitAnd: ("&", frozenset({"and", "rand", "bitwise_and", "logical_and"})),
    ast.BitOr: ("|", frozenset({"or", "ror", "bitwise_or", "logical_or"})),
    ast.BitXor: ("^", frozenset({"xor", "rxor", "bitwise_xor"})),
}
_UNARY: dict[type, tuple[str, frozenset[str]]] = {
    ast.USub: ("-", frozenset({"neg", "negative"})),
    ast.UAdd: ("+", frozenset({"pos", "positive"})),
    ast.Invert: ("~", frozenset({"invert", "bitwise_not", "logical_not"})),
}
_COMPARE: dict[type, frozenset[str]] = {
    ast.Eq: frozenset({"eq"}),
    ast.NotEq: frozenset({"ne"}),
    ast.Lt: frozenset({"lt"}),
    ast.LtE: frozenset({"le"}),
    ast.Gt: frozenset({"gt"}),
    ast.GtE: frozenset({"ge"}),
}
_SUBSCRIPT = frozenset({"getitem", "index", "select", "slice", "narrow"})
_TRANSPOSES = frozenset({"T", "mT", "H", "mH"})
_PARTS = frozenset({"real", "imag"})  # a complex tensor's parts, as attributes
# Calls that make a tensor with no op of their own: the tensor is a leaf of the graph (`torch.tensor(3.0)`).
FACTORIES = frozenset(
    {
        "tensor",
        "as_tensor",
        "from_numpy",
        "ones",
        "zeros",
        "full",
        "empty",
        "eye",
        "arange",
        "linspace",
        "logspace",
        "rand",
        "randn",
        "randint",
        "randperm",
        "normal",
        "Parameter",
    }
)
SIMPLE = (ast.Name, ast.Constant, ast.Attribute)
# Python's functions that never return a tensor: no tensor is named after their call (`len(dataset)`)
NO_TENSOR_CALLS = frozenset(
    {"len", "range", "int", "float", "bool", "str", "print", "isinstance", "enumerate", "zip", "repr", "type", "id"}
)
NO_NAMES: Mapping[str, str] = {}
NO_NUMBERS: Mapping[str, tuple[float | None, ...]] = {}
NO_CALLS: Mapping[str, int] = {}
NO_MAKERS: Mapping[str, tuple[str, str]] = {}
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # a line and its end, as `ast` splits a source
FITTING_PLACES = 64  # the expressions of an op's kind on its line looked at for one that fits it (a forged run's lines)
_BROKEN_SPACE = re.compile(r" (?=[.)\]])|(?<=[(\[]) ")  # (spaces a line break left in code joined on one line)
NAMESPACES = frozenset({"linalg", "special", "fft"})  # torch's modules whose functions' ops carry their name


@dataclass(eq=False)
class _Expression:
    node: ast.AST  # an expression; an augmented assignment (`y[i] += 1`) for its in-place op
    ops: frozenset[str]  # the op names it stands for
    call: bool = False  # a call, of something that may be a module or a function of the snippet
    factory: bool = False


def _kind(node: ast.AST) -> _Expression | None:
    """What op an expression can be, or None for expressions that run no op (names, constants, literals)."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _Expression(node, _BINARY[type(node.op)][1])
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _Expression(node, _UNARY[type(node.op)][1])
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        return _Expression(node, _COMPARE[type(node.ops[0])])
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        return _Expression(node, _SUBSCRIPT)
    if isinstance(node, ast.Attribute) and node.attr == "data" and isinstance(node.ctx, ast.Load):
        return _Expression(node, frozenset({"data"}))  # (`fisher.data`: an op gradwalk records, out of the graph)
    if isinstance(node, ast.Attribute) and node.attr in _TRANSPOSES:
        return _Expression(node, frozenset({node.attr, "t", "permute", "transpose", "numpy_T"}))
    if isinstance(node, ast.Attribute) and node.attr in _PARTS and isinstance(node.ctx, ast.Load):
        return _Expression(node, frozenset({node.attr}))  # (`w.real`: an op, `real`, run by reading it)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "sum":  # (Python's runs adds, `0 + parts[0] + parts[1]`: no sum)
            return _Expression(node, _BINARY[ast.Add][1], call=True)
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in FACTORIES:
            return _Expression(node, frozenset({name}), factory=True)
        ops = {name, name.lower(), name.removesuffix("_")}
        space = func.value if isinstance(func, ast.Attribute) else None
        if isinstance(space, ast.Attribute) and space.attr in NAMESPACES:  # (torch.linalg.norm runs `linalg_norm`)
            ops.add(f"{space.attr}_{name}")
        return _Expression(node, frozenset(ops), call=True)
    return None


def _kinds(node: ast.AST, augmented: set[ast.AST]) -> list[_Expression]:
    """What ops a node of the snippet can run, in the order Python runs them: an expression's (`_kind`); a
    subscript written to, its `setitem` (`y[i] = v`), or first its read when an augmented assignment's target
    (`y[i] += v` reads `y[i]`, changes it in place, then writes it back; `w.data -= v` reads `w.data`); an augmented
    assignment's in-place op."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
        return [_Expression(node, _SUBSCRIPT if node in augmented else frozenset({"setitem"}))]
    if isinstance(node, ast.Attribute) and node.attr == "data" and node in augmented:  # (`w.data -= …` reads it)
        return [_Expression(node, frozenset({"data"}))]
    if isinstance(node, ast.AugAssign) and type(node.op) in _BINARY:
        ops = _BINARY[type(node.op)][1]
        found = [_Expression(node, frozenset({f"{op}_" for op in ops} | {f"i{op}" for op in ops}))]
        if isinstance(node.target, ast.Subscript):
            found.append(_Expression(node.target, frozenset({"setitem"})))
        return found
    found_one = _kind(node)
    return [] if found_one is None else [found_one]


def _line_of(node: ast.AST) -> int:
    """The line Python runs an expression on: a method's call on the line of its name (`.mean()` on a line of its own
    in a chain split over lines), anything else on its first line."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.end_lineno is not None:
        return node.func.end_lineno
    return node.lineno  # type: ignore[attr-defined,no-any-return]


def _evaluation_order(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes under `tree`, each after the expressions Python evaluates before it."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if done:
            yield node
            continue
        stack.append((node, True))
        children = list(ast.iter_child_nodes(node))
        if isinstance(node, ast.Call):  # the callee (and the object of a method), then the arguments
            children = [node.func, *node.args, *node.keywords]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            children = [node.value, *(c for c in children if c is not node.value)]  # the value, then the target
        elif isinstance(node, ast.AugAssign):  # the target (`y[i]` read), then the value
            children = [node.target, node.value]
        stack.extend((child, False) for child in reversed(children))


def prepare_source(source: str) -> str:
    """Source as a person pastes it -> source Python accepts, as the worker runs it: no BOM, \\n line ends, common
    indent removed (so that its lines are the Run's)."""
    return textwrap.dedent(source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))


class _Source:
    """The expressions of a snippet that can run an op, line by line in evaluation order, and where each op's
    search on a line goes on from (a loop runs its lines again: the search then starts over)."""

    def __init__(self, source: str):
        self.source = source
        self.on_line: dict[int, list[_Expression]] = {}
        self.cursor: dict[tuple[int, bool | None], int] = {}
        self.texts: dict[ast.AST, str] = {}  # (a loop's line names thousands of tensors with the same few texts)
        self.places: dict[tuple[int, str], list[int]] = {}  # (line, kind of expression) -> where on the line
        self.matched: set[_Expression] = set()  # the expressions ops were matched to
        self.ran: set[ast.AST] = set()  # the expressions a recorded op (not a factory) was matched to
        self.callees: dict[tuple[int | None, str], str] = {}  # (line, function name) -> how the line writes it
        self.libraries: dict[int | None, str | None] = {}  # line -> the C function its unnamed tensors were made in
        self.lines: list[str] | None = None  # the snippet's lines, each with its end (as `ast` splits them)
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return
        self.parent: dict[
            ast.AST, ast.AST
        ] = {}  # (a call -> the method called on its result; an operand -> its operator)
        self.within: dict[ast.AST, ast.AST] = {}  # an expression in a comprehension -> the innermost one
        stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
        while stack:  # (one walk, whatever the nesting)
            node, comprehension = stack.pop()
            if comprehension is not None:
                self.within[node] = comprehension
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                comprehension = node
            stack += [(child, comprehension) for child in ast.iter_child_nodes(node)]
        augmented: set[ast.AST] = {node.target for node in walk(tree) if isinstance(node, ast.AugAssign)}
        for node in _evaluation_order(tree):
            for found in _kinds(node, augmented):
                self.on_line.setdefault(_line_of(found.node), []).append(found)
            if isinstance(node, ast.Attribute | ast.Subscript) and isinstance(node.value, ast.Call):
                self.parent[node.value] = node
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                self.parent[node.func] = node
            elif isinstance(node, ast.BinOp):  # (`torch.ones(3) * 2`: arithmetic on a factory's result)
                self.parent[node.left] = self.parent[node.right] = node
            elif isinstance(node, ast.UnaryOp):
                self.parent[node.operand] = node
        # where on its line each kind of expression is, so that an op finds its own in a step, not by a search of
        # the line (a forged Run of 100k ops on a line of 25k expressions took minutes of the server's time)
        for line, listed in self.on_line.items():
            for i, expression in enumerate(listed):
                kinds = ["factory"] if expression.factory else [f"op {op}" for op in expression.ops]
                kinds += ["call"] if expression.call else []
                kinds += [f"any {op}" for op in expression.ops]
                for kind in kinds:
                    self.places.setdefault((line, kind), []).append(i)

    def match(
        self,
        line: int | None,
        op: str,
        *,
        module: str | None = None,
        factory: bool = False,
        numbers: tuple[float | None, ...] | None = None,
        names: frozenset[str] = frozenset(),
        again: bool = True,
    ) -> _Expression | None:
        """The next expression on `line` that ran `op` (a module's op: the module's call; a factory: a leaf), from
        where the last search on that line stopped, going round to the line's start. An op of module `model.lin`
        found a call of another module (`self.lin(x) * 2` in `model`'s forward: the `*` ran in `model`, not in
        `self.lin(x)`) takes the expression of its own kind, if the line has one. An operator given `numbers` (the
        numbers it was called with, None for a tensor) passes over one whose written numbers it was not given
        (`beta * 2 * x`: the `*` of two numbers ran no op), and one given `names` (every name of its input tensors)
        over one that names another variable (`x @ W1 if first else x @ W2`, `1 - rho` beside `1 - p`). Not `again`:
        None rather than an expression an op was matched to already (`Cube.apply(x) + P3(x + 1)`: `P3`'s output is
        not `Cube.apply(x)`'s)."""
        line = line or 0
        i = self._next(line, ["factory"] if factory else ["call", f"any {op}"] if module else [f"op {op}"], factory)
        as_call = module is not None and i is not None and self.on_line[line][i].call
        if i is not None and module and not _calls(self.on_line[line][i], module):
            j = self._module_call(line, i, module)  # (`self.inp(x) + self.emb(t)`: the emb's ops are emb's call's)
            as_call = j is not None
            if j is not None:
                i = j
            elif (line, f"op {op}") in self.places:
                i = self._next(line, [f"op {op}"], factory)
            else:  # (no call of this module's on the line, nor its op: `functional_call(model, …, (x.unsqueeze(0),))`)
                return None
        if i is not None and (numbers or names) and not _fits(self.on_line[line][i].node, numbers, names):
            places = self.places.get((line, f"op {op}"), [])[:FITTING_PLACES]
            fitting = [p for p in places if _fits(self.on_line[line][p].node, numbers, names)]
            i = next((p for p in fitting if p > i), fitting[0] if fitting else i)
        if i is None or (not again and self.on_line[line][i] in self.matched):
            return None
        expression = self.on_line[line][i]
        self.cursor[(line, factory)] = i if as_call else i + 1  # (a module's call names its next ops too)
        self.matched.add(expression)
        if not factory:
            self.ran.add(expression.node)
        return expression

    def next_call(self, line: int | None) -> _Expression | None:
        """The next call on `line` from where the last search stopped (a custom Function's `apply` under another
        name: `P3(x * 2)` after `P3 = Cube.apply`)."""
        i = self._next(line or 0, ["call"], False)
        if i is None:
            return None
        self.cursor[(line or 0, False)] = i + 1
        expression = self.on_line[line or 0][i]
        self.matched.add(expression)
        self.ran.add(expression.node)
        return expression

    def _module_call(self, line: int, start: int, module: str) -> int | None:
        """Where on `line` the next call that may be module `module`'s is, from `start`, going round (within
        FITTING_PLACES calls)."""
        places = self.places.get((line, "call"), [])
        first = bisect.bisect_left(places, start)
        for place in (places[first:] + places[:first])[:FITTING_PLACES]:
            if _calls(self.on_line[line][place], module):
                return place
        return None

    def _next(self, line: int, kinds: list[str], factory: bool) -> int | None:
        """Where on `line` the next expression of one of `kinds` is, from the line's cursor, going round: to the
        line's start (a loop runs it again), or, when the last expression matched there is in a comprehension that
        has one of `kinds`, to the comprehension's start (its next item: `[t.mul(3) for t in ts]`, not the line's
        `a.mul(2)` before it)."""
        places = [self.places.get((line, kind), []) for kind in kinds]
        start = self.cursor.get((line, factory), 0)
        after = [p[bisect.bisect_left(p, start)] for p in places if p and p[-1] >= start]
        if after:
            return min(after)
        listed = self.on_line.get(line, [])
        last = self.within.get(listed[start - 1].node) if 0 < start <= len(listed) else None
        if last is not None:  # (among the FITTING_PLACES before the cursor: a forged run's lines are long)
            before = [i for p in places for i in p[max(0, bisect.bisect_left(p, start) - FITTING_PLACES) :]]
            again = [i for i in before if self.within.get(listed[i].node) is last]
            if again:
                return min(again)
        return min((p[0] for p in places if p), default=None)

    def untracked(self, line: int | None) -> _Expression | None:
        """An expression on `line` that no recorded op ran: what made a tensor that comes into the graph with no op
        of its own (`lr * w.grad` under no_grad, on tensors outside the graph, read by `w -= lr * w.grad`). The
        outermost such expression (`torch.clamp(w.grad, -1, 1) * lr`, not `-1`): the last Python evaluates; calls
        only with arguments (`torch.clamp(w.grad, -1, 1)`, never `optimizer.step()`), never numbers alone."""
        listed = self.on_line.get(line or 0, [])
        # (where the last search on the line stopped: what it passed stays passed, matched expressions stay matched,
        # so a line is searched once however many tensors ask)
        i = self.cursor.get((line or 0, None), len(listed) - 1)
        while i >= 0:
            expression = listed[i]
            node = expression.node
            skip = expression.factory or expression in self.matched or _number(node) or _no_tensor(node)
            if not skip and not (expression.call and not (isinstance(node, ast.Call) and (node.args or node.keywords))):
                break
            i -= 1
        self.cursor[(line or 0, None)] = i
        return listed[i] if i >= 0 else None

    def callee(self, line: int | None, name: str) -> str:
        """How the snippet wrote the function `name` it calls on `line` (`dist.log_prob` for `log_prob`)."""
        found = self.callees.get((line, name))
        if found is None:
            places = self.places.get((line or 0, f"any {name}"), [])
            listed = [self.on_line[line or 0][i] for i in places]
            listed += [  # (Python's own `sum(parts)`, whose ops are adds)
                e
                for e in self.on_line.get(line or 0, [])
                if isinstance(e.node, ast.Call) and isinstance(e.node.func, ast.Name) and e.node.func.id == name
            ]
            # (a call no op of the line was matched to first, a function's before a method: Python's `sum(...)` on a
            # line that also calls `.sum()`)
            listed.sort(
                key=lambda e: (
                    e in self.matched,
                    not isinstance(e.node, ast.Call) or isinstance(e.node.func, ast.Attribute),
                )
            )
            calls = [e.node.func for e in listed if isinstance(e.node, ast.Call)]
            found = self.callees[(line, name)] = self._callee(calls[0]) if calls else name
        return found

    def _callee(self, func: ast.expr) -> str:
        """A callee as written, or, when long, with the result it is a method of as (…): `Categorical(…).log_prob`."""
        text = self.segment(func)
        if len(text) <= EXPRESSION_MAX_CHARS or not isinstance(func, ast.Attribute):
            return text
        owner = func.value
        if isinstance(owner, ast.Call):  # (a library's class or function by its own name: `Categorical(…)`)
            made = owner.func.attr if isinstance(owner.func, ast.Attribute) else self.segment(owner.func)
            return f"{made}(…).{func.attr}"
        return f"{self._operand(owner)}.{func.attr}"

    def writes(self, line: int | None, factory: str | None) -> bool:
        """Whether `line` may have made a tensor whose unrecorded ops started with `factory` (None: not known): it
        calls a function of that name. (GRU's zero initial state, made inside the module, is not the line's
        `torch.randn(2, 5, 3)`.)"""
        if factory is None:
            return True
        return any(e.node.__class__ is ast.Call and factory in e.ops for e in self.on_line.get(line or 0, []))

    def unused_factory(self, line: int | None) -> _Expression | None:
        """A factory call on `line` no tensor was named after yet (`torch.zeros(3)` in `dist.log_prob(torch.zeros(3))`,
        which the snippet made and the library's ops met first)."""
        for expression in self.on_line.get(line or 0, []):
            if expression.factory and expression not in self.matched:
                self.matched.add(expression)
                return expression
        return None

    def library_call(self, line: int | None, ran: set[str]) -> str | None:
        """The function written in C (Python's `sum`) a tensor no expression made was made inside: on `line` (where
        ops named `ran` ran), the first call with arguments that no op ran and that ran none of them itself. (Looked
        for once per line: a forged run's line of thousands of calls is searched once, not once per tensor.)"""
        if line not in self.libraries:
            self.libraries[line] = self._library_call(line, ran)
        return self.libraries[line]

    def _library_call(self, line: int | None, ran: set[str]) -> str | None:
        for expression in self.on_line.get(line or 0, []):
            node = expression.node
            if (
                isinstance(node, ast.Call)
                and (node.args or node.keywords)
                and expression.call
                and expression not in self.matched
                and not expression.ops & ran
                and not _no_tensor(node)
            ):
                return self.segment(node.func)
        return None

    def made_by(self, node: ast.AST, last: str | None = None) -> ast.AST:
        """What made the tensor a factory's call starts: the call with the methods called on its result
        (`torch.arange(8.0).reshape(2, 4)`), which ran on a tensor gradwalk had not seen and so were not recorded,
        and the arithmetic with numbers written out done on that, up to the operator that ran `last`, the last of
        those unrecorded ops (`torch.ones(4, 2) * 2`, whose values are 2s, not `torch.ones(4, 2)`). Not a method a
        recorded op ran (`torch.ones(3).mul(x)` made the op's output; its input is `torch.ones(3)`)."""
        while True:
            attribute = self.parent.get(node)
            if isinstance(attribute, ast.Subscript) and attribute not in self.ran:
                node = attribute
            elif (
                isinstance(attribute, ast.Attribute)
                and isinstance(self.parent.get(attribute), ast.Call)
                and self.parent[attribute] not in self.ran
            ):
                node = self.parent[attribute]
            else:
                break
        made, parent = node, self.parent.get(node)
        while last is not None and isinstance(parent, (ast.BinOp, ast.UnaryOp)):
            if isinstance(parent, ast.BinOp) and not _number(parent.right if parent.left is node else parent.left):
                break
            kind = _kind(parent)
            if kind is not None and last in kind.ops:
                made = parent
            node, parent = parent, self.parent.get(parent)
        return made

    def segment(self, node: ast.AST) -> str:
        """The code of `node` on one line: a line break and its indent as one space, none before `.`, `)` or `]`
        nor after `(` or `[` (a method chain split over lines reads `x.log_softmax(…)`)."""
        text = self._segment(node)
        if "\n" not in text:
            return " ".join(text.split())
        return _BROKEN_SPACE.sub("", " ".join(text.split()))

    def _segment(self, node: ast.AST) -> str:
        """`ast.get_source_segment(self.source, node)`, from the snippet's lines split once (that function splits the
        whole snippet at each call: a forged Run's 1500 unnamed tensors on a 99 KB snippet took 30 s to name)."""
        where: list[int] = [getattr(node, name, None) or 0 for name in ("lineno", "end_lineno", "end_col_offset")]
        if not (where[0] and where[1]):  # (no position: a node not from the source)
            return ""
        first, last, start, end = where[0] - 1, where[1] - 1, getattr(node, "col_offset", 0), where[2]
        lines = self.lines
        if lines is None:
            lines = self.lines = _LINE.findall(self.source)
        if first == last:
            return lines[first].encode()[start:end].decode()
        head, tail = lines[first].encode()[start:].decode(), lines[last].encode()[:end].decode()
        return head + "".join(lines[first + 1 : last]) + tail

    def text(self, node: ast.AST) -> str:
        """The expression as the snippet writes it; when long, compound operands as (…), then cut."""
        found = self.texts.get(node)
        if found is None:
            found = self.texts[node] = self._text(node)
        return found

    def _text(self, node: ast.AST) -> str:
        whole = self.segment(node)
        if len(whole) <= SHORT_CHARS or (isinstance(node, ast.Subscript) and len(whole) <= EXPRESSION_MAX_CHARS):
            return (
                whole  # (an index is what tells the entries picked: `log_probs[range(2), target]`, not `log_probs[…]`)
            )
        short = self._elided(node)
        if short is None or len(short) >= len(whole):
            short = whole
        if len(short) > EXPRESSION_MAX_CHARS:
            short = short[: EXPRESSION_MAX_CHARS - 1].rstrip(" (…") + "…"
        return short

    def _operand(self, node: ast.expr) -> str:
        text = self.segment(node)
        if isinstance(node, SIMPLE) or (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)):
            return text if len(text) <= SHORT_CHARS else "…"
        if isinstance(node, ast.Call) and isinstance(node.func, SIMPLE):
            plain = all(isinstance(a, SIMPLE) for a in [*node.args, *(k.value for k in node.keywords)])
            return text if plain and len(text) <= SHORT_CHARS else f"{self.segment(node.func)}(…)"
        if isinstance(node, ast.Subscript) and isinstance(node.value, SIMPLE):
            return f"{self.segment(node.value)}[…]"
        return "(…)"

    def _elided(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.AugAssign) and type(node.op) in _BINARY:
            return f"{self._operand(node.target)} {_BINARY[type(node.op)][0]}= {self._operand(node.value)}"
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return f"{self._operand(node.left)} {_BINARY[type(node.op)][0]} {self._operand(node.right)}"
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return f"{_UNARY[type(node.op)][0]}{self._operand(node.operand)}"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and not isinstance(func.value, SIMPLE):
                callee = f"{self._operand(func.value)}.{func.attr}"  # a method of a result: (…).sum()
            else:
                callee = self.segment(func)
            return f"{callee}(…)" if node.args or node.keywords else f"{callee}()"
        if isinstance(node, ast.Subscript):
            return f"{self._operand(node.value)}[…]"
        return None


def _calls(expression: _Expression, module: str) -> bool:
    """Whether an expression may be the call of module `module` (or of one it is in): a call whose callee's name
    (`lin` in `self.lin(x)`, `Linear` in `nn.Linear(2, 2)(x)`, `layers` in `layers[0](x)`) is a part of the module's
    path, or whose name cannot be read."""
    node = expression.node
    if not expression.call or not isinstance(node, ast.Call):
        return True
    callee: ast.AST = node.func
    while isinstance(callee, (ast.Call, ast.Subscript)):
        callee = callee.func if isinstance(callee, ast.Call) else callee.value
    name = callee.attr if isinstance(callee, ast.Attribute) else callee.id if isinstance(callee, ast.Name) else None
    return name is None or name in re.split(r"[./]", module)


def _calls_as(expression: _Expression, op: Mapping[str, Any]) -> bool:
    """Whether the op of a module ran as part of `expression`, a call of that module: not an op of a hook's own line
    (`output.mean()` in a forward hook runs inside the module's call, but is not it)."""
    return expression.call and _calls(expression, op["module"])


def _fits(node: ast.AST, numbers: tuple[float | None, ...] | None, names: frozenset[str]) -> bool:
    """Whether an operator's expression may be what ran with these numbers (`_given`) on tensors of these names: each
    plain variable it writes is one of them, but for those that held the numbers; a subscript's indexes one of them
    (`x[i]`, `self.w[i]` for `model.w`). Checked only when every input tensor has a name."""
    if numbers and not _given(node, numbers):
        return False
    if names and isinstance(node, ast.Subscript):  # (`self.trans[self.tag_to_ix[END]]`: the dict's lookup ran no op)
        value = node.value
        if isinstance(value, ast.Call) and getattr(_kind(value), "factory", False):  # (`torch.ones(3)[0:2]`: no name)
            return False
        written = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else None
        return written is None or any(written in (name, name.rpartition(".")[2]) for name in names)
    if not names or not isinstance(node, ast.BinOp | ast.UnaryOp):
        return True
    sides = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.operand,)
    others = sum(isinstance(side, ast.Name) and side.id not in names for side in sides)  # (a number's, or no input's)
    if numbers is None:  # (an operator of tensors only: `@`)
        return not others
    literal = sum(isinstance(_signed(side), int | float) for side in sides)
    return others + literal <= sum(n is not None for n in numbers)  # (`1 - rho` is not `1 - p`, given one number)


def _given(node: ast.AST, numbers: tuple[float | None, ...]) -> bool:
    """Whether an operator's expression wrote only numbers the op was given (`x * 2` for (None, 2)); not `beta * 2`
    for (1.0, None), where `beta * 2` is a number the op got whole."""
    if not isinstance(node, ast.BinOp):
        return True
    given = {n for n in numbers if n is not None}
    for side in (node.left, node.right):
        if isinstance(side, ast.UnaryOp) and isinstance(side.op, ast.USub):
            side, sign = side.operand, -1
        else:
            sign = 1
        value = side.value if isinstance(side, ast.Constant) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and sign * value not in given:
            return False
    return True


def _signed(node: ast.AST) -> object:
    """The number a literal operand writes (`2`, `-1.5`), else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node, sign = node.operand, -1
    value = node.value if isinstance(node, ast.Constant) else None
    return sign * value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _no_tensor(node: ast.AST) -> bool:
    """A call of one of Python's functions that never return a tensor (`len(dataset)`)."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NO_TENSOR_CALLS


def _number(node: ast.AST) -> bool:
    """An expression of numbers written out (`-1`, `2 * 3`): it makes no tensor. (Walked without recursion: a
    line of `1 + 1 + …` is as deep as it is long.)"""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.UnaryOp):
            stack.append(node.operand)
        elif isinstance(node, ast.BinOp):
            stack += [node.left, node.right]
        elif not isinstance(node, ast.Constant):
            return False
    return True


def _fallback(
    node: Mapping[str, Any], op: Mapping[str, Any] | None, made_by: str | None = None, module: str | None = None
) -> str:
    """A tensor no expression was found for: the op that made it (`made_by`, one the graph did not record: inside
    `module`, the module whose op met it first), or the kind of leaf it is (never an id)."""
    if op is not None:
        return f"{op['module']} → {op['op']}" if op.get("module") else f"{op['op']}(…)"
    if node.get("is_leaf") is False:  # (made by torch's own code, with no op recorded: a module hook's wrapper)
        return "made inside torch"
    if made_by is not None and not node.get("requires_grad"):  # (GRU's zero initial state: `gru → zeros`)
        return f"{module} → {made_by}" if module else made_by
    return "leaf" if node.get("requires_grad") else "constant"


# Ops that took a tensor's values out of the graph (`.item()`, `.tolist()`, `.numpy()`): the tensor the snippet made
# of what one returned (`torch.tensor(v)`) is named by its own line, as a factory's result, not by the call that took
# the values out.
TAKEN_OUT = frozenset({"item", "tolist", "numpy"})


def expressions(
    source: str | None,
    forward: Mapping[str, Any],
    inside: Mapping[str, str] = NO_NAMES,
    numbers: Mapping[str, tuple[float | None, ...]] = NO_NUMBERS,
    library_calls: Mapping[str, int] = NO_CALLS,
    raised: Collection[int] = (),
    made_by: Mapping[str, tuple[str, str]] = NO_MAKERS,
) -> dict[str, str]:
    """Forward tensor id -> what to call it, for every tensor without a `var`. `source`: the snippet as it ran
    (prepare_source); `forward`: the forward graph as the Run's JSON has it (plain dicts); `inside`: tensors made by
    no op inside a library function the snippet's line called (a constant of `dist.log_prob`), by its name;
    `numbers`: op id -> the numbers an arithmetic operator was called with (None for each tensor);
    `library_calls`: op id -> which call of a library function ran it (its last op's result is the call's: it is
    named by the call, `dist.log_prob(u)`); `raised`: the module calls (op `calls` numbers) that ended by raising
    (none of their results is the call's); `made_by`: tensors made by no recorded op -> the factory that started
    the unrecorded ops that made them, and the last of them (`("empty", "normal_")`)."""
    code = _Source(source or "")
    nodes: list[dict[str, Any]] = forward["nodes"]
    ops = {node["id"]: node for node in nodes if node["kind"] == "op"}
    maker = {edge["target"]: ops[edge["source"]] for edge in forward["edges"] if edge["source"] in ops}
    matched: dict[str, _Expression] = {}  # op id -> the expression that ran it
    found: dict[str, str] = {}
    calls: dict[tuple[int, int | None], list[dict[str, Any]]] = {}  # one module call -> the tensors its ops made
    ran: dict[int | None, set[str]] = {}  # line -> the ops that ran on it
    for each in ops.values():
        ran.setdefault(each["line"], set()).add(each["op"])
    last_of_call = {call: op_id for op_id, call in library_calls.items()}  # (ops in the order they ran)
    returned = set(last_of_call.values())
    call_of: dict[str, _Expression] = {}  # the last op of a library function's call -> the call
    used_on: dict[str, set[int | None]] = {}  # tensor id -> the lines whose own operators take it
    tensors = {node["id"]: node for node in nodes if node["kind"] == "tensor"}
    named: dict[str, list[list[str]]] = {}  # op id -> the names of each of its input tensors
    met_in: dict[str, str] = {}  # a tensor of `made_by` -> the module whose op used it first
    leaf_names: dict[str, str] = {}  # a leaf's AccumulateGrad -> the name of its last named version so far
    # (or of its last named version at all: `model[2] = nn.Linear(3, 1)` is named once the snippet ends)
    named_leaves = {n["grad_accumulator"]: n["var"] for n in nodes if n.get("var") and n.get("grad_accumulator")}
    for edge in forward["edges"]:
        user = ops.get(edge["target"])
        if user is not None and not user.get("inside"):
            used_on.setdefault(edge["source"], set()).add(user["line"])
        if user is not None and user.get("module") and edge["source"] in made_by:
            met_in.setdefault(edge["source"], user["module"])
        giver = tensors.get(edge["source"]) if user is not None else None
        if giver is not None:
            names_of = [giver.get("var"), *(giver.get("aliases") or ())]
            named.setdefault(edge["target"], []).append([n for n in names_of if n])
    for node in nodes:
        if node["kind"] == "op":
            if node.get("inside") and not node.get("module"):
                # (it ran inside a function of a library the line called: no expression on the line is its, but the
                # call's own, for the call's last op)
                if node["id"] in returned:
                    expression = code.match(node["line"], node["inside"])
                    if expression is not None and expression.call:
                        call_of[node["id"]] = expression
                continue
            given = named.get(node["id"], [])
            names = frozenset(n for each in given for n in each) if given and all(given) else frozenset()
            expression = code.match(
                node["line"], node["op"], module=node.get("module"), numbers=numbers.get(node["id"]), names=names
            )
            if expression is not None:
                matched[node["id"]] = expression
            continue
        if node["kind"] != "tensor":
            continue
        op = maker.get(node["id"])
        if op is not None and op["op"] in TAKEN_OUT:
            op = None
        leaf_of = node.get("grad_accumulator")  # (a leaf's versions share its AccumulateGrad)
        if node.get("var") is not None and leaf_of is not None:
            leaf_names[leaf_of] = node["var"]
        elif op is None and leaf_of is not None and (leaf_of in leaf_names or leaf_of in named_leaves):
            found[node["id"]] = leaf_names.get(leaf_of) or named_leaves[leaf_of]  # (`w.data -= …`: no name reached it)
            continue
        if node.get("var") is not None:  # (named: still a result of its module's call, maybe its last)
            if op is not None and op.get("module") is not None:
                expression = matched.get(op["id"])
                if expression is not None and _calls_as(expression, op):
                    calls.setdefault((id(expression), op["calls"][0] if op.get("calls") else None), []).append(node)
            continue
        if op is not None and op["id"] in call_of and op["line"] in used_on.get(node["id"], ()):
            found[node["id"]] = code.text(call_of[op["id"]].node)  # (what the call returned, as the line uses it)
            continue
        factory, unrecorded = made_by.get(node["id"], (None, None)) if op is None else (None, None)
        written = code.writes(node["line"], factory)
        if op is None and node["id"] in inside:  # (made inside the library call, or by the snippet for it)
            made = code.unused_factory(node["line"]) if written else None
            within = code.callee(node["line"], inside[node["id"]])
            found[node["id"]] = code.text(made.node) if made else f"{within} → {_fallback(node, None, unrecorded)}"
            continue
        if op is None and node.get("aliases"):  # (no op made it: a function's name for it, `x` in `grad(f)(x)`)
            found[node["id"]] = str(node["aliases"][0])
            continue
        if node.get("forward_line") is not None:  # a custom Function's output: its `.apply(...)` call made it
            expression = code.match(node["line"], "apply", again=False) or code.next_call(node["line"])  # (`P3(x)`)
        else:
            expression = matched.get(op["id"]) if op is not None else None
            if op is None and written:
                expression = code.match(node["line"], "", factory=True)
        if expression is None and op is None and not node.get("requires_grad"):
            expression = code.untracked(node["line"])  # made by code the graph did not record (under no_grad)
        if expression is None and op is not None and not op.get("module"):  # (made inside a library's function?)
            called = op.get("inside")
            by = code.callee(op["line"], called) if called else code.library_call(op["line"], ran[op["line"]])
            found[node["id"]] = f"{by} → {op['op']}" if by else _fallback(node, op)
        elif expression is None:
            found[node["id"]] = _fallback(node, op, unrecorded, met_in.get(node["id"]))
        elif expression.factory and not node.get("requires_grad"):  # (the methods called on it: unrecorded)
            found[node["id"]] = code.text(code.made_by(expression.node, unrecorded))
        else:
            found[node["id"]] = code.text(expression.node)
        if expression is not None and op is not None and op.get("module") is not None and _calls_as(expression, op):
            key = (id(expression), op["calls"][0] if op.get("calls") else None)
            calls.setdefault(key, []).append(node)
    for (_, call), results in calls.items():  # inside a module call, all but its last result are the layer's and op's
        for node in results if call in raised else results[:-1]:  # (a call that raised returned none of them)
            if node.get("var") is None:
                found[node["id"]] = _fallback(node, maker[node["id"]])
    found.update(_called_as(code, nodes, maker, used_on, raised))
    return found


def _called_as(
    code: _Source,
    nodes: list[dict[str, Any]],
    maker: Mapping[str, dict[str, Any]],
    used_on: Mapping[str, set[int | None]],
    raised: Collection[int],
) -> dict[str, str]:
    """The last result of each call of a module whose forward is the snippet's own, where a line outside that forward
    uses it: named by the call as that line writes it (`net(img)` in `F.cross_entropy(net(img), target)`), not by the
    expression of its forward's last line (`self.fc(x)`), as a name bound at the top level wins over a function's."""
    last: dict[int, dict[str, Any]] = {}  # the outermost module call -> the tensor its last op made
    lines: dict[int, set[int | None]] = {}  # the outermost module call -> the lines its ops ran on
    for node in nodes:
        op = maker.get(node["id"]) if node["kind"] == "tensor" else None
        if op is not None and op.get("calls") and op.get("module"):
            last[op["calls"][0]] = node
            lines.setdefault(op["calls"][0], set()).add(op["line"])
    named: dict[str, str] = {}
    for call, node in last.items():
        tensor_id, module = node["id"], maker[node["id"]]["module"]
        outside = sorted(line for line in used_on.get(tensor_id, ()) if line and line not in lines[call])
        if node.get("var") is not None or call in raised or not outside:
            continue
        line, callee = outside[0], module.split(".")[0]
        places = [
            p for p in code.places.get((line, "call"), [])[:FITTING_PLACES] if _calls(code.on_line[line][p], callee)
        ]
        # (one call of it on the line: `net(a) + net(b)`, `net(net(a))` say not which call this result is)
        if len(places) == 1 and code.on_line[line][places[0]].call:
            named[tensor_id] = code.text(code.on_line[line][places[0]].node)
    return named
