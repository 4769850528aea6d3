"""The one DOT writer: a Run's graphs as Graphviz DOT (`to_dot`), and DOT drawn as SVG or PNG (`render`, Graphviz
`dot`). The web page lays out this same DOT in the browser (Viz.js), so a label reads the same wherever it is
drawn; the page finds each node by the `<title>` Graphviz gives it, its DOT id.

Pure functions of the Run; nothing here runs user code or imports torch.
"""

import bisect
import functools
import json
import math
import os
import re
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any
from unicodedata import east_asian_width

import msgspec

from .apart import Apart, ApartLost
from .expression import expressions, prepare_source
from .graph import GradFnNode, GroupNode, OpNode, Run, SavedValue, Summary, TensorNode, listed_count
from .inline import UNPRINTABLE
from .sandbox import graphviz_command
from .settings import Settings

VIEWS = ("forward", "backward")
# The graphs' font. Graphviz sizes each label by its own table of Arial's widths when it has no font to measure
# (the page lays graphs out with Graphviz in WebAssembly), and Arial is also what browsers and fontconfig draw it
# with (Liberation Sans on Linux: the same widths), so the text fits its box in the page as in the server's
# pictures. Korean falls back to Noto Sans CJK, a little wider than Graphviz counts it: see `_margin`.
FONT = "Arial"
# Colours after torchviz's legend: leaves light blue, outputs green, saved tensors orange; cuts grey, dashed.
LEAF, OUTPUT, SAVED, CUT, OP = "lightblue", "darkolivegreen1", "orange", "gray90", "white"
NO_GRAD = "gray60"  # a backward edge no gradient flowed along, in a pass that ran
FONT_PT = 12  # every label, nodes' and edges': the page opens at a scale that draws it at 12.5 CSS px or more
GROUP = "lavender"  # folded views: repeated blocks and module calls shown as one node
# a custom autograd.Function's backward node: `<Function>Backward` (torch's own formulas end in a digit)
USER_FUNCTION = re.compile(r"^\w+Backward$")


Attrs = dict[str, "str | Lines | Record"]  # a node's or an edge's DOT attributes


def too_dense(nodes: int, edges: int, max_edges: int) -> bool:
    """Whether a graph has more edges than Graphviz lays out in good time: more than `max_edges`
    (GRADWALK_RENDER_MAX_EDGES) and more than twice its nodes (the page's pane.js says the same)."""
    return edges > max(max_edges, 2 * nodes)


class RenderError(RuntimeError):
    """Graphviz could not draw the graph in time (`timed_out`: the wall clock, which a busy machine slows) or at all;
    the message says which."""

    timed_out = False


# DOT is quoted here and nowhere else: every node id and every attribute value this module writes goes through
# `_quote` (a record label as a `Record` of fields: each field escaped, the record's own `{ | }` added). Inside
# a DOT string the parser only knows `\"`, but Graphviz then reads labels again: `\\`, `\n`, `\l`, `\N`, `\G` as
# escapes, `&...;` as HTML entities and, in records, `{ } | < >` as structure. Escaping `\`, `"`, `&` and those
# five makes every character stand for itself, so text from a run (an op name a snippet chose, a var, a repr)
# can neither end the string nor add an attribute (`URL=`, `image=`, `shapefile=`) nor change a record's shape.
# Control characters become spaces and lone surrogates U+FFFD (both would break Graphviz or the UTF-8 it reads).
_LABEL_SPECIAL = re.compile(r'[\\"{}|<>]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(text: str) -> str:
    """`text` as the inside of a DOT string that Graphviz shows as exactly `text` (also as a record field)."""
    text = _SURROGATE.sub("\ufffd", UNPRINTABLE.sub(" ", str(text)))
    return _LABEL_SPECIAL.sub(lambda m: "\\" + m.group(), text.replace("&", "&amp;"))


class Lines(tuple[str, ...]):
    """Text of several lines, each drawn left-justified (a matrix written row by row)."""


class Record(tuple["str | Lines", ...]):
    """A record label: its fields, top to bottom."""


def _text_of(value: "str | Lines") -> str:
    """The inside of a DOT string for one text: escaped, and a `Lines` as Graphviz's left-justified lines (`\\l`)."""
    if isinstance(value, Lines):
        return "".join(_escape(line) + "\\l" for line in value)
    return _escape(value)


def _quote(value: "str | Lines | Record") -> str:
    """The one way a DOT id or attribute value is written: a quoted string, a record's fields escaped."""
    if isinstance(value, Record):
        return '"{' + "|".join(_text_of(field) for field in value) + '}"'
    return '"' + _text_of(value) + '"'


def format_number(value: object) -> str:
    """A value as every label writes it (and the page's inspector: static/js/format.js): whole numbers in full
    (`123456`, up to 1e16), others to five significant digits (the tutorial's 165.65 and -122.1 read as it prints
    them, 1.2346e+05), "nan", "inf" and booleans as they are. tests/numbers.json holds examples both must write."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else f"{value:.5g}"
    return str(value)


def _pieces(data: object) -> Iterator[str]:
    """The text of nested lists of values, piece by piece."""
    if not isinstance(data, list):
        yield format_number(data)
        return
    yield "["
    for i, value in enumerate(data):
        if i:
            yield ", "
        yield from _pieces(value)
    yield "]"


def _text(data: object, width: int) -> str:
    """The text of the values, or as much of it as passes `width` (a big tensor is not written out whole)."""
    parts: list[str] = []
    size = 0
    for piece in _pieces(data):
        parts.append(piece)
        size += len(piece)
        if size > width:
            break
    return "".join(parts)


def format_summary(summary: Summary | None, width: int = 40) -> str:
    """A short text for a label: the values when they fit, else shape and statistics."""
    if summary is None:
        return "None"
    data = summary.values()
    if data is None:  # (no values to show: `unreadable` says why; the shape, written here, read as a value: `4`)
        return "—"
    text = _text(data, width)
    if not summary.truncated and len(text) <= width:
        return text
    return (
        f"min {format_number(summary.min)} max {format_number(summary.max)} mean {format_number(summary.mean)}"
        if summary.truncated
        else text[: width - 1] + "…"
    )


EXPRESSIONS_KEPT = 8  # runs whose worked-out expressions are kept for their next drawing
WHOLE_ELEMENTS = 9  # GRADWALK_LABEL_WHOLE_ELEMENTS: a tensor this small is written out whole (a 3×3 matrix)
ROW_VALUES = 3  # a long vector written whole: this many values a line
# a backward node's gradients and saved values on its label: this many of each (a forged run's node that saved
# 400,000 references to one tensor made a 203 MB DOT of a 20 MB run, and took 3 GiB to write)
LABEL_FIELDS = 8
FORMULA_LINE = 48  # a backward node's formula on its label: this many characters a line, its parts one a line,
FORMULA_LINES = 4  # and this many lines at most (the inspector and the step panel write it whole)
FORMULA_READ_CHARS = 2000  # what of a formula is read to draw those lines (a forged one may be megabytes)
LANGUAGES = ("en", "ko")
NBSP = "\u00a0"  # sets a continued line in (a plain space at the start of a line is not drawn)


def _whole(data: object) -> list[str]:
    """The values of a small tensor, whole, as lines: each innermost row on a line of its own (a long vector
    ROW_VALUES values a line), continued lines set in by a space."""
    if not isinstance(data, list):
        return [format_number(data)]
    if any(isinstance(item, list) for item in data):
        lines: list[str] = []
        for item in data:
            inner = _whole(item)
            lines += [(NBSP if lines else "") + inner[0], *inner[1:]]
            lines[-1] += ","
        lines[-1] = lines[-1].removesuffix(",")
    else:
        values = [format_number(value) for value in data]
        rows = [", ".join(values[i : i + ROW_VALUES]) for i in range(0, len(values), ROW_VALUES)] or [""]
        lines = [rows[0]] + [NBSP + row for row in rows[1:]]
        lines = [line + "," for line in lines[:-1]] + [lines[-1]]
    lines[0] = "[" + lines[0]
    lines[-1] += "]"
    return lines


def label_value(summary: Summary | None, whole_elements: int = WHOLE_ELEMENTS, width: int = 40) -> "str | Lines":
    """A value for a label: a small tensor (at most `whole_elements` values) whole, on one line when it fits in
    `width` characters, else row by row; larger ones as `format_summary` shortens them."""
    if summary is None or summary.truncated or listed_count(summary.shape, whole_elements) > whole_elements:
        return format_summary(summary, width)
    data = summary.values()
    if data is None:
        return format_summary(summary, width)
    text = "".join(_pieces(data))
    return text if len(text) <= width or not isinstance(data, list) else Lines(_whole(data))


def _field(name: str, value: "str | Lines") -> "str | Lines":
    """A labelled field: `grad 4`, or the name on a line of its own above the rows of a matrix."""
    return Lines((name, *value)) if isinstance(value, Lines) else f"{name} {value}"


def _shape(shape: list[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"


@functools.lru_cache(maxsize=EXPRESSIONS_KEPT)
def _expressions_of(code: str, forward: bytes) -> dict[str, str]:
    return expressions(prepare_source(code), msgspec.json.decode(forward))


class _Named(msgspec.Struct):
    """What `names_from_code` reads of a forward node (the rest of the Run is skipped)."""

    kind: Any = None
    var: Any = None
    expr: Any = None


class _NamedGraph(msgspec.Struct):
    nodes: list[_Named] = []


class _NamedRun(msgspec.Struct):
    forward: _NamedGraph = msgspec.field(default_factory=_NamedGraph)


def names_from_code(data: bytes) -> bool:
    """Whether drawing a stored run's JSON `data` (or a view of it) works out names from the run's code: a tensor has
    neither `var` nor `expr` (a run stored before the capture engine wrote them, or a Run a snippet forged). Working
    them out parses the code with Python's parser, one call that holds the interpreter lock however long it takes."""
    try:
        run = msgspec.json.decode(data, type=_NamedRun)
    except (msgspec.DecodeError, RecursionError):
        return False
    return any(node.kind == "tensor" and node.var is None and node.expr is None for node in run.forward.nodes)


def _expressions(run: Run) -> dict[str, str]:
    """`expr` of each unnamed tensor of a run stored before the capture engine wrote it (values left out: the names
    come from the code and the graph's shape). Worked out once for the last few runs: every drawing of a run needs
    them, and a forged run's 24k unnamed tensors on as many lines take a second."""
    forward = msgspec.json.encode(msgspec.to_builtins(run.forward, enc_hook=lambda _raw: None))
    return _expressions_of(run.code or "", forward)


class _Labels:
    """How one graph's labels write names and values: unnamed tensors by their source expression (the Run's
    `expr`; worked out here for runs stored before it), tensors up to `whole_elements` values whole."""

    def __init__(self, run: Run, whole_elements: int, formulas: str | None = None):
        self.whole_elements = whole_elements
        self.formulas = formulas  # the language of the formulas on backward nodes, None: none
        self.tensors = {n.id: n for n in run.forward.nodes if isinstance(n, TensorNode)}
        missing = any(n.var is None and n.expr is None for n in self.tensors.values())
        self.expressions = _expressions(run) if missing else {}

    def name(self, node: TensorNode) -> str:
        """What the graphs and the page call a tensor: its name in the snippet, else the expression that made it."""
        return node.var or node.expr or self.expressions.get(node.id) or "tensor"

    def value(self, summary: Summary | None, width: int = 40) -> "str | Lines":
        return label_value(summary, self.whole_elements, width)


def _tensor_label(node: TensorNode, labels: _Labels) -> Record:
    fields: list[str | Lines] = [
        labels.name(node),
        f"{_shape(node.shape)} {node.dtype}",
        _field("data", labels.value(node.value)),
    ]
    if node.requires_grad or node.grad is not None:
        fields.append(_field("grad", labels.value(node.grad)))  # the last field: the page hides it while stepping
    return Record(fields)


def _applied(run: Run) -> dict[str, str]:
    """The op that made what a custom autograd.Function's forward() returned, by id -> `Square.apply`: the backward
    graph has one `SquareBackward` node for the call, so the forward graph says whose op this is."""
    functions = {
        node.id: node.name[: -len("Backward")]
        for node in run.backward.nodes
        if isinstance(node, GradFnNode) and USER_FUNCTION.match(node.name)
    }
    made = {
        node.id: functions[node.grad_fn]
        for node in run.forward.nodes
        if isinstance(node, TensorNode) and node.forward_line is not None and node.grad_fn in functions
    }
    return {edge.source: f"{made[edge.target]}.apply" for edge in run.forward.edges if edge.target in made}


def _forward_dot(run: Run, labels: _Labels) -> str:
    consumed = {edge.source for edge in run.forward.edges}
    cut_ops = {node.id for node in run.forward.nodes if isinstance(node, OpNode) and node.cut}
    applied = _applied(run)
    ran = run.backward_passes > 0
    sent_to = {edge.target for edge in run.backward.edges}
    started = {
        n.id for n in run.backward.nodes if n.id not in sent_to and isinstance(n, GradFnNode) and n.order is not None
    }
    nodes: list[tuple[str, Attrs]] = []
    for node in run.forward.nodes:
        if isinstance(node, GroupNode):
            nodes.append((node.id, _group(node)))
        elif isinstance(node, OpNode):
            # dashed: what no_grad, detach or .data cut off, and nothing else
            style = "dashed,filled" if node.cut else "filled"
            fill = CUT if node.cut or node.no_grad else OP
            label = f"{applied[node.id]} → {node.op}" if node.id in applied else node.op
            if node.unchanged:  # (a dropout in eval mode: it multiplied by 1, and its inspector says why)
                label += " (×1)"
            nodes.append((node.id, {"label": label, "shape": "ellipse", "style": style, "fillcolor": fill}))
        else:
            if not node.requires_grad:
                fill = CUT
            elif node.is_leaf:
                fill = LEAF
            else:
                # green where backward starts: a result backward ran from, or, before any backward(), any result;
                # one no pass started from (an LSTM cell's c when the loss is made of h) is drawn as any other
                fill = OUTPUT if node.id not in consumed and (not ran or node.grad_fn in started) else "white"
            nodes.append(
                (
                    node.id,
                    {"label": _tensor_label(node, labels), "shape": "record", "style": "filled", "fillcolor": fill},
                )
            )
    edges: list[tuple[str, str, Attrs]] = [
        (e.source, e.target, {"style": "dashed" if e.source in cut_ops or e.target in cut_ops else "solid"})
        for e in run.forward.edges
    ]
    return _write(nodes, edges, busy=0)


def _grad_fn_label(node: GradFnNode, labels: _Labels) -> Record:
    tensor = labels.tensors.get(node.tensor) if node.tensor else None
    name = labels.name(tensor) if tensor is not None else node.expr
    title = node.name + (f" ({name})" if name else "")
    fields: list[str | Lines] = [title]
    if node.order is not None:
        fields.append(f"#{node.order + 1}")  # the order backward ran it in
    if labels.formulas and node.explain is not None:
        fields.append(_formula(getattr(node.explain.formula, labels.formulas)))
    korean = labels.formulas == "ko"  # (the page's language, when it asks for formulas)
    grads = node.grad_out  # the gradients it received
    fields += [_field("grad", labels.value(g)) for g in grads[:LABEL_FIELDS]]
    if len(grads) > LABEL_FIELDS:
        fields.append(_more("grad", len(grads) - LABEL_FIELDS, korean))
    said, shown = "저장" if korean else "saved", 0
    for saved in node.saved or ():
        value = saved_value(saved, labels.tensors)
        if value is not None:
            if shown < LABEL_FIELDS:
                fields.append(_field(f"{said} {_saved_name(saved, labels)}:", labels.value(value)))
            shown += 1
    if shown > LABEL_FIELDS:
        fields.append(_more(said, shown - LABEL_FIELDS, korean))
    return Record(fields)


def _more(what: str, count: int, korean: bool) -> str:
    """The field that stands for a label's fields past LABEL_FIELDS (the inspector lists them all)."""
    return f"{what} … {count}개 더" if korean else f"{what} … {count} more"


def _saved_name(saved: SavedValue, labels: _Labels) -> str:
    """A saved tensor by the snippet's name with PyTorch's after it (`x (self)`), or PyTorch's alone."""
    tensor = labels.tensors.get(saved.tensor) if saved.tensor is not None else None
    name = labels.name(tensor) if tensor is not None else saved.means or saved.name  # (`mean (result1)`)
    return saved.name if name in (saved.name, "tensor") else f"{name} ({saved.name})"


def _formula(text: str) -> Lines:
    """A node's local derivative, compact: its parts (`∂L/∂X = grad · Wᵀ, ∂L/∂W = Xᵀ · grad`) one a line, a long
    part broken before its `=`, and only a line too long even then cut. A part that goes on the formula before it
    (`grad_x = grad at [1:3], 0 elsewhere`) keeps the comma at the end of the line before it."""
    lines: list[str] = []
    parts = _top_level_parts(text[:FORMULA_READ_CHARS])
    for k, part in enumerate(parts):
        if k + 1 < len(parts) and " = " not in parts[k + 1]:
            part += ","
        left, equals, right = part.partition(" = ")
        pieces = [left, f"= {right}"] if len(part) > FORMULA_LINE and equals else [part]
        lines += [p if len(p) <= FORMULA_LINE else p[: FORMULA_LINE - 1] + "…" for p in pieces]
    if len(lines) > FORMULA_LINES:
        lines = [*lines[: FORMULA_LINES - 1], "…"]
    return Lines(lines)


def _top_level_parts(text: str) -> list[str]:
    """`text` split at its `, ` outside brackets: NLLLoss's `∂loss/∂x[i, c] = …` is one part (it was drawn as
    `∂loss/∂x[i` over `c] = …`)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0 and text.startswith(", ", i):
            parts.append(text[start:i])
            start = i + 2
    parts.append(text[start:])
    return parts


def saved_value(saved: SavedValue, tensors: dict[str, TensorNode]) -> Summary | None:
    """A saved tensor's value: its own, or, for a forward tensor, that node's (None for other saved values)."""
    if saved.tensor is not None and saved.tensor in tensors:
        return tensors[saved.tensor].value
    return saved.value


def _backward_dot(run: Run, labels: _Labels) -> str:
    roots = {n.id for n in run.backward.nodes} - {e.target for e in run.backward.edges}
    ran = run.backward_passes > 0
    nodes: list[tuple[str, Attrs]] = []
    for node in run.backward.nodes:
        if isinstance(node, GroupNode):
            nodes.append((node.id, _group(node)))
            continue
        if node.name == "AccumulateGrad":
            fill = LEAF
        elif node.id in roots and (node.order is not None or not ran):
            # where backward starts: a root it ran from, or, before any backward(), where it will; a root no pass ran
            # from (a graph cut off by .detach(), a result never used) is drawn as any other node
            fill = OUTPUT
        else:
            fill = SAVED if any(saved_value(s, labels.tensors) is not None for s in node.saved or ()) else "white"
        label = _grad_fn_label(node, labels)
        nodes.append((node.id, {"label": label, "shape": "record", "style": "filled", "fillcolor": fill}))
    # Edges are solid: backward cuts nothing. One that carried no gradient in a pass that ran is grey (its own
    # legend line); before any backward() every edge is a plain arrow, the way gradients will flow. The page finds
    # each edge by its place among them (Graphviz's `edge<n>` id), so they keep the Run's order.
    edges: list[tuple[str, str, Attrs]] = []
    returned = _returned_edges(run)
    for k, edge in enumerate(run.backward.edges):
        if edge.grad is not None:
            style = "dashed" if k in returned else "solid"
            attrs: Attrs = {"label": labels.value(edge.grad, width=28), "style": style}
        elif ran:
            attrs = {"label": "", "style": "solid", "color": NO_GRAD}
        else:
            attrs = {"label": "", "style": "solid"}
        edges.append((edge.source, edge.target, attrs))
    return _write(nodes, edges, busy=1)


def _passes(node: GradFnNode) -> set[int]:
    """The backward passes that ran a node."""
    if node.order is None:
        return set()
    return {node.backward_pass or 1} | {run.backward_pass for run in node.earlier_runs or ()}


def _returned_edges(run: Run) -> set[int]:
    """The edges (their places in the Run) into a leaf's AccumulateGrad whose gradient a `torch.autograd.grad()` call
    took back to the code: their source last ran in such a pass, and the AccumulateGrad did not (higher-order's
    `dy_dx, = torch.autograd.grad(y, x, create_graph=True)`: the arrow of 12 into x's AccumulateGrad, beside the 12
    that `dy_dx.backward()` added to x.grad, which is 12, not 24). They are drawn dashed (the page's legend says so)."""
    calls = run.backward_calls
    nodes = {n.id: n for n in run.backward.nodes if isinstance(n, GradFnNode)}
    # each node's passes and its last pass once: a forged Run's 4,000 edges from a node of 50,000 runs took 8 s, a set
    # of its runs made for each edge
    passes: dict[str, tuple[set[int], int]] = {}
    returned = set()
    for k, edge in enumerate(run.backward.edges):
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        if edge.grad is None or source is None or target is None or target.name != "AccumulateGrad":
            continue
        for node in (source, target):
            if node.id not in passes:
                ran = _passes(node)
                passes[node.id] = ran, max(ran, default=0)
        last = passes[source.id][1]
        if 0 < last <= len(calls) and calls[last - 1] == "grad" and last not in passes[target.id][0]:
            returned.add(k)
    return returned


def _group(node: GroupNode) -> Attrs:
    label = Record((node.label, f"{len(node.members)} nodes"))
    return {"label": label, "shape": "record", "style": "filled,bold", "fillcolor": GROUP}


# A node with more than SHARED_USES edges on its busy side (a weight every step of an unrolled loop reads, the
# AccumulateGrad all those steps send to) is drawn once per edge, as `<id>~<k>`: Graphviz lays a chain out in
# a moment, but hundreds of long edges into one node take it minutes. The copies' labels are text written again,
# at most COPY_CHARS of it in one graph: past that a node is drawn once (a forged Run of a node with a long label and
# many edges into it, 1.4 MB, made 4 GB of DOT), so the DOT stays about the size of the Run.
SHARED_USES = 4
COPY_CHARS = 4_000_000


# A label's line is drawn at most LABEL_LINE_CHARS characters long, then cut with "…" (a name the snippet chose,
# an op's name): Graphviz's PNG costs its area, and wide lines of emoji or Thai made a 200-node graph take 4.7 s
# (a 3000-node graph of short names takes about 2.5 s). Names the code writes and values fit; the page's
# inspector shows the whole name from the JSON.
LABEL_LINE_CHARS = 80


def _cut(text: "str | Lines | Record") -> "str | Lines | Record":
    """A label with each of its lines cut to LABEL_LINE_CHARS characters."""
    if isinstance(text, Record):
        return Record(Lines(map(_cut_line, f)) if isinstance(f, Lines) else _cut_line(f) for f in text)
    return Lines(map(_cut_line, text)) if isinstance(text, Lines) else _cut_line(text)


def _cut_line(line: str) -> str:
    return line if len(line) <= LABEL_LINE_CHARS else line[: LABEL_LINE_CHARS - 1] + "…"


# Between a node and the next rank down (inches; Graphviz's own is 0.5): arrows as long as their labels need and no
# longer, so that a small graph is whole in a laptop's pane at a readable size (the tutorial's first example, x ->
# pow -> y, was 300 px tall in the 295 px the walk leaves its forward graph at 1366x768).
RANKSEP_IN = 0.3
# Between neighbours in a rank (inches; Graphviz's own is 0.25), in a graph whose edges carry gradients: dot puts an
# edge's label with its left edge on its line and the next arrow close to its right, so the page could move
# linear-2d's `[[-8.1], [-16.3]]` only halfway off its line (0.1 px from it), and the server's SVG and PNG, which keep
# dot's places, drew it 2 px from the arrow to b. The forward graph, without labels on its edges, keeps dot's own.
NODESEP_IN = 0.5


def _write(nodes: list[tuple[str, Attrs]], edges: list[tuple[str, str, Attrs]], busy: int) -> str:
    """DOT of the nodes and edges; `busy` is the side (0 source, 1 target) where shared nodes are copied. Edges
    leave a forward node, and come into a backward node, left to right in the order the code made them
    (`ordering=out`, `ordering=in`): a training loop's steps read left to right, first to last, in both graphs
    (Graphviz put the last step between the first two, and the backward passes 2, 3, 1)."""
    options = " ordering=out" if busy == 0 else " ordering=in"
    if any(attrs.get("label") for _, _, attrs in edges):
        options += f" nodesep={NODESEP_IN}"
    lines = [
        "digraph {",
        f"\tgraph [fontname={_quote(FONT)} rankdir=TB ranksep={RANKSEP_IN}{options}]",
        f"\tnode [fontname={_quote(FONT)} fontsize={FONT_PT}]",
        f"\tedge [fontname={_quote(FONT)} fontsize={FONT_PT}]",
    ]
    uses = Counter(edge[busy] for edge in edges)
    shared = {node for node, count in uses.items() if count > SHARED_USES}
    budget = COPY_CHARS
    for node_id, attrs in nodes:
        margin = _margin(_cut(attrs["label"]))
        written = _attrs(attrs if margin is None else {**attrs, "margin": margin})
        if node_id in shared:
            copied = (uses[node_id] - 1) * (len(written) + len(node_id) + 8)
            if copied > budget:
                shared.discard(node_id)  # (before the edges are written: they go to the one node)
            else:
                budget -= copied
        for key in [f"{node_id}~{k}" for k in range(uses[node_id])] if node_id in shared else [node_id]:
            lines.append(f"\t{_quote(key)} [{written}]")
    taken: Counter[str] = Counter()
    for source, target, attrs in edges:
        ends = [source, target]
        for side, end in enumerate(ends):
            if end in shared:
                ends[side] = f"{end}~{taken[end]}" if side == busy else f"{end}~0"
                taken[end] += side == busy
        lines.append(f"\t{_quote(ends[0])} -> {_quote(ends[1])} [{_attrs(attrs)}]")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Graphviz counts a character past ASCII as one space per UTF-8 byte: 0.83 em for a Hangul syllable (or any wide
# character) that is drawn about 0.93 em wide. A node gets this much more margin per wide character of its label.
WIDE_EXTRA_EM = 0.15
MARGIN_IN = (0.11, 0.055)  # Graphviz's own node margin (inches, each side): what a label without them keeps


def _margin(label: "str | Lines | Record") -> str | None:
    """The node margin a label needs for its wide characters (the most on one line), or None for Graphviz's own."""
    lines = [line for field in label for line in _lines(field)] if isinstance(label, Record) else _lines(label)
    wide = max((sum(east_asian_width(c) in "WF" for c in line) for line in lines if not line.isascii()), default=0)
    if not wide:
        return None
    return f"{MARGIN_IN[0] + wide * WIDE_EXTRA_EM * FONT_PT / 72 / 2:.3f},{MARGIN_IN[1]}"


def _lines(text: "str | Lines") -> "tuple[str, ...]":
    return text if isinstance(text, Lines) else (text,)


def _attrs(attrs: Attrs) -> str:
    return " ".join(f"{name}={_quote(_cut(value) if name == 'label' else value)}" for name, value in attrs.items())


def to_dot(run: Run, view: str, whole_elements: int = WHOLE_ELEMENTS, formulas: str | None = None) -> str:
    """The DOT source of a run's `forward` or `backward` graph; tensors of at most `whole_elements` values are
    written out whole (GRADWALK_LABEL_WHOLE_ELEMENTS); `formulas` ("en" or "ko"): each explained backward node
    carries its local derivative, in that language, under its title.

    Every node's DOT id is its id in the Run, and the edges are written in the Run's order (Graphviz names the
    n-th `edge<n>` in its SVG): the page finds the nodes and edges it lights up, hovers and steps through by them."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    if formulas is not None and formulas not in LANGUAGES:
        raise ValueError(f"formulas must be one of {', '.join(LANGUAGES)}, not {formulas!r}")
    labels = _Labels(run, whole_elements, formulas)
    return _forward_dot(run, labels) if view == "forward" else _backward_dot(run, labels)


def render(dot_source: str, fmt: str, settings: Settings, apart: Apart | None = None) -> bytes:
    """DOT -> `svg` or `png` bytes with Graphviz `dot`, killed after GRADWALK_RENDER_TIMEOUT_S seconds, within
    GRADWALK_RENDER_MEMORY_MB, in a jail of its own when the sandbox is on (see app.sandbox.jail). `apart`: where the
    labels of a big layout are placed (`place_labels`), the server's processes apart.

    A graph whose edges carry gradients is laid out first (as JSON), each label moved clear of its arrow as the page
    moves it (static/js/pane.js), and drawn where it was laid out (`layout=nop2`): dot puts a label's left edge on
    its line, and the server's pictures drew `4` touching its arrow, the halo of its letters cutting the line."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"format must be svg or png, not {fmt!r}")
    deadline = time.monotonic() + settings.render_timeout_s
    if _EDGE_LABEL.search(dot_source):
        layout = _graphviz(dot_source, "json", settings, deadline)
        # (the labels are placed within half the time left: past it, dot's own places, drawn in the other half)
        placed = place_labels(dot_source, layout, (time.monotonic() + deadline) / 2, apart)
        if placed is not None:
            return _graphviz(placed, fmt, settings, deadline)
    return _graphviz(dot_source, fmt, settings, deadline)


def _graphviz(dot_source: str, fmt: str, settings: Settings, deadline: float) -> bytes:
    """Graphviz's drawing of `dot_source` as `fmt`, done by `deadline` (time.monotonic())."""
    # (the jail needs root, as the sandbox does: `gradwalk capture --no-sandbox` as a user draws without it)
    command = graphviz_command(settings, fmt, jailed=settings.sandbox == "on" and os.geteuid() == 0)
    try:
        done = subprocess.run(
            command,
            input=dot_source.encode(),
            capture_output=True,
            timeout=max(0.0, deadline - time.monotonic()),
            check=False,
        )
    except FileNotFoundError:
        raise RenderError("Graphviz `dot` is not installed (Debian package graphviz)") from None
    except subprocess.TimeoutExpired:
        late = RenderError(f"Graphviz took longer than {settings.render_timeout_s} s to lay the graph out")
        late.timed_out = True
        raise late from None
    if done.returncode != 0:
        if done.returncode < 0 or done.returncode > 128 or not done.stderr:
            raise RenderError(
                f"Graphviz stopped (exit status {done.returncode}): the graph needs more than "
                f"{settings.render_memory_mb} MiB (GRADWALK_RENDER_MEMORY_MB) or more time to lay out"
            )
        raise RenderError(f"Graphviz failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout


# Placing edge labels for the server's pictures, as static/js/pane.js places them on the page (graph units: points).
EDGE_LABEL_GAP = 4.0  # a label keeps this far right of its line and arrowhead (pane.js: EDGE_LABEL_GAP)
LABEL_BAND = 32.0  # obstacles are looked up by bands of this height
_EDGE_LABEL = re.compile(r'^\t"(?:[^"\\]|\\.)*" -> "(?:[^"\\]|\\.)*" \[label="[^"]', re.MULTILINE)
_NODE_LINE = re.compile(r'^\t"((?:[^"\\]|\\.)*)" \[.*\]$')
_EDGE_LABEL_TEXT = re.compile(r' \[label="((?:[^"\\]|\\.)*)"')
_EDGE_LINE = re.compile(r'^\t"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[.*\]$')
Box = tuple[float, float, float, float]  # left, bottom, right, top (Graphviz's y grows upwards)
Point = tuple[float, float]
Json = dict[str, Any]  # an object of Graphviz's JSON output


def place_labels(dot_source: str, layout: bytes, place_by: float, apart: Apart | None) -> str | None:
    """`_labels_placed`, in a process `apart` when Graphviz's layout is GRADWALK_APART_MIN_BYTES or more (None: dot's
    own places, also when that process is lost). Its work is Python over every point of every arrow, the interpreter
    lock held: a two-line snippet's backward picture, `torch.stack([w] * 1000)` (a 3.9 MB layout, 650,000 points),
    took the server's thread 1.3 to 2.3 s of it, and while one client asked for its pictures the other clients'
    `/healthz` took 133 ms at the 95th percentile instead of 6 ms, their runs 320 ms instead of 70."""
    if apart is None or not apart.wanted(len(layout)):
        return _labels_placed(dot_source, layout, place_by)
    try:
        return apart.call(len(layout), _labels_placed, dot_source, layout, place_by)
    except ApartLost:
        return None


def _labels_placed(dot_source: str, layout: bytes, place_by: float) -> str | None:
    """`dot_source` with every node and edge where Graphviz laid it out (`layout`, its JSON) and each edge label moved
    clear of its arrow, to be drawn as laid out (`layout=nop2`); None where the layout does not match the DOT, or the
    labels are not placed by `place_by` (time.monotonic()): then the graph is drawn as dot places it."""
    try:
        graph = json.loads(layout)
        names = {o["_gvid"]: o["name"] for o in graph.get("objects", [])}
        nodes = {o["name"]: o["pos"] for o in graph.get("objects", []) if "pos" in o}
        laid: dict[tuple[str, str, str], list[Json]] = {}  # an edge's ends and label: its layouts, in Graphviz's order
        for e in sorted(graph.get("edges", []), key=lambda e: e["_gvid"]):
            laid.setdefault((names[e["tail"]], names[e["head"]], e.get("label", "")), []).append(e)
        x1, y1, x2, y2 = (float(v) for v in graph["bb"].split(","))
        placed = _placed_labels(graph, place_by)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, TimeoutError):
        return None
    lines = dot_source.rstrip("\n").split("\n")
    if not lines or lines[-1] != "}":
        return None
    out = []
    for line in lines[:-1]:
        edge, node = _EDGE_LINE.match(line), _NODE_LINE.match(line)
        if edge:
            label = _EDGE_LABEL_TEXT.search(line)
            key = (_dot_name(edge.group(1)), _dot_name(edge.group(2)), _dot_name(label.group(1)) if label else "")
            if not laid.get(key) or "pos" not in laid[key][0]:
                return None
            found = laid[key].pop(0)
            extra = {"pos": found["pos"]}
            if found["_gvid"] in placed:
                extra["lp"] = "{:.2f},{:.2f}".format(*placed[found["_gvid"]][:2])
            line = line[:-1] + "".join(f" {key}={_quote(value)}" for key, value in extra.items()) + "]"
        elif node:
            if _dot_name(node.group(1)) not in nodes:
                return None
            line = line[:-1] + f" pos={_quote(nodes[_dot_name(node.group(1))])}]"
        out.append(line)
    if any(laid.values()):
        return None
    right = max([x2, *(x + width / 2 for x, _, width in placed.values())])
    out.append(f'\tgraph [layout="nop2" bb="{x1:.2f},{y1:.2f},{right:.2f},{y2:.2f}"]')
    return "\n".join([*out, "}"]) + "\n"


def _dot_name(quoted: str) -> str:
    """A node's name as Graphviz reads it from the inside of a DOT string (only `\\"` is an escape)."""
    return quoted.replace('\\"', '"')


def _placed_labels(graph: Json, place_by: float) -> dict[int, tuple[float, float, float]]:
    """Each labelled edge's label place moved clear of its arrow: {edge's place: (x, y, label width)}. Raises
    TimeoutError past `place_by` (time.monotonic())."""
    labels: list[tuple[int, Box, list[Point], list[Point], float, float]] = []
    for count, edge in enumerate(graph.get("edges", [])):  # (the clock looked at all along: each arrow's points cost)
        if count % 64 == 0 and time.monotonic() > place_by:
            raise TimeoutError
        k = edge["_gvid"]
        box = _text_box(edge.get("_ldraw_", []))
        if box is None or "lp" not in edge:
            continue
        x, y = (float(v) for v in edge["lp"].split(","))
        line = [p for op in edge.get("_draw_", []) if op.get("op") == "b" for p in _bezier(op["points"])]
        head = [(float(a), float(b)) for op in edge.get("_hdraw_", []) if op.get("op") in "Pp" for a, b in op["points"]]
        labels.append((k, box, line, head, x, y))
    # Obstacles by bands of height, each band sorted by left edge: a label looks right of it from its own right edge
    # on, and stops at the first obstacle in its way (a wide rank's hundreds of arrows share its bands: a look at
    # every point of every arrow for every label took minutes).
    bands: dict[int, list[tuple[float, Box, int]]] = {}

    def add(box: Box, owner: int) -> None:
        for band in range(int(box[1] // LABEL_BAND), int(box[3] // LABEL_BAND) + 1):
            bands.setdefault(band, []).append((box[0], box, owner))

    for o in graph.get("objects", []):
        if "pos" in o:
            x, y = (float(v) for v in o["pos"].split(","))
            w, h = float(o.get("width", 0)) * 36, float(o.get("height", 0)) * 36
            add((x - w, y - h, x + w, y + h), -1)
    for count, (k, box, line, head, _, _) in enumerate(labels):
        if count % 64 == 0 and time.monotonic() > place_by:
            raise TimeoutError
        add(box, -1)
        for px, py in [*line, *head]:
            add((px, py, px, py), k)
    for band in bands.values():
        band.sort(key=lambda item: item[0])
    lefts = {number: [item[0] for item in band] for number, band in bands.items()}
    moved = {}
    for count, (k, box, line, head, x, y) in enumerate(labels):
        if count % 64 == 0 and time.monotonic() > place_by:
            raise TimeoutError
        moved[k] = (x + _label_shift(box, line, head, _room_right(box, k, bands, lefts)), y, box[2] - box[0])
    return moved


def _room_right(
    box: Box, owner: int, bands: dict[int, list[tuple[float, Box, int]]], lefts: dict[int, list[float]]
) -> float:
    """How far right of `box` (less EDGE_LABEL_GAP) the nearest obstacle beside it is, not one of `owner`'s own."""
    _, bottom, right, top = box
    room = math.inf
    for band in range(int((bottom - EDGE_LABEL_GAP) // LABEL_BAND), int((top + EDGE_LABEL_GAP) // LABEL_BAND) + 1):
        items = bands.get(band, [])
        for i in range(bisect.bisect_left(lefts.get(band, []), right - 0.5), len(items)):
            o_left, other, other_owner = items[i]
            if o_left - EDGE_LABEL_GAP - right >= room:
                break  # (sorted by left edge: nothing further along is nearer)
            beside = bottom - EDGE_LABEL_GAP <= other[3] and other[1] <= top + EDGE_LABEL_GAP  # (not above or under)
            if beside and other_owner != owner and other is not box:
                room = o_left - EDGE_LABEL_GAP - right
                break
    return room


def _label_shift(box: Box, line: list[Point], head: list[Point], room: float) -> float:
    """How far right a label moves to keep EDGE_LABEL_GAP from the points of its line beside it and its arrowhead's
    near it; halfway to the obstacle `room` to its right where there is no room for both gaps (pane.js labelShift)."""
    left, bottom, _, top = box
    beside = [px for px, py in line if bottom <= py <= top]
    under = [px for px, py in head if bottom - EDGE_LABEL_GAP < py < top + EDGE_LABEL_GAP]
    wanted = max([0.0, *(px + EDGE_LABEL_GAP - left for px in beside + under)])
    return max(0.0, wanted if wanted <= room else (wanted + room) / 2)


def _text_box(ops: list[Json]) -> Box | None:
    """The box of a label's text from Graphviz's drawing operations (`T`: a line at its baseline, `F`: its font)."""
    size, boxes = 14.0, []
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T" and op.get("text", "").strip():
            x, y = (float(v) for v in op["pt"])
            width = float(op["width"])
            left = {"l": x, "r": x - width}.get(str(op.get("align")), x - width / 2)
            boxes.append((left, y - 0.25 * size, left + width, y + 0.9 * size))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _bezier(points: list[list[float]]) -> list[Point]:
    """Points along Graphviz's cubic Bézier pieces (its control points), about one a unit (at least 8 a piece)."""
    found: list[Point] = [(float(points[0][0]), float(points[0][1]))] if points else []
    for i in range(1, len(points) - 2, 3):
        (x0, y0), (xa, ya), (xb, yb), (x3, y3) = (tuple(map(float, p)) for p in points[i - 1 : i + 3])
        count = max(8, min(400, math.ceil(math.hypot(x3 - x0, y3 - y0))))
        for j in range(1, count + 1):
            t = j / count
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            found.append((a * x0 + b * xa + c * xb + d * x3, a * y0 + b * ya + c * yb + d * y3))
    return found
