"""Pictures of a Run's graphs: Graph -> DOT (with the `graphviz` package) -> SVG/PNG (Graphviz `dot`).

Pure functions of the Run; nothing here runs user code or imports torch.
"""

import subprocess

import graphviz

from .graph import GradFnNode, GroupNode, OpNode, Run, Summary, TensorNode

VIEWS = ("forward", "backward")
FONT = "Noto Sans CJK KR,Noto Sans,sans-serif"
# Colours after torchviz's legend: leaves light blue, outputs green, saved tensors orange; cuts grey, dashed.
LEAF, OUTPUT, SAVED, CUT, OP = "lightblue", "darkolivegreen1", "orange", "gray90", "white"
GROUP = "lavender"  # folded views: repeated blocks and module calls shown as one node


class RenderError(RuntimeError):
    """Graphviz could not draw the graph in time (or at all); the message says which."""


def _escape(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    for char in '\\{}|<>"':
        text = text.replace(char, "\\" + char)
    return text


def _number(value) -> str:
    """Five significant digits: the tutorial's 165.65 and -122.1 read as it prints them."""
    return f"{value:.5g}" if isinstance(value, float) else str(value)


def _values(data) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_values(v) for v in data) + "]"
    return _number(data)


def format_summary(summary: Summary | None, width: int = 40) -> str:
    """A short text for a label: the values when they fit, else shape and statistics."""
    if summary is None:
        return "None"
    if summary.data is None:
        return "×".join(map(str, summary.shape)) or "scalar"
    text = _values(summary.data)
    if not summary.truncated and len(text) <= width:
        return text
    return (
        f"min {_number(summary.min)} max {_number(summary.max)} mean {_number(summary.mean)}"
        if summary.truncated
        else text[: width - 1] + "…"
    )


def _shape(shape: list[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"


def _tensor_label(node: TensorNode) -> str:
    name = node.var or node.id
    fields = [name, f"{_shape(node.shape)} {node.dtype}", f"data {format_summary(node.value)}"]
    if node.requires_grad or node.grad is not None:
        fields.append(f"grad {format_summary(node.grad)}")
    return "{" + "|".join(_escape(f) for f in fields) + "}"


def _forward_dot(run: Run) -> graphviz.Digraph:
    dot = _digraph()
    consumed = {edge.source for edge in run.forward.edges}
    cut_ops = {node.id for node in run.forward.nodes if isinstance(node, OpNode) and node.cut}
    for node in run.forward.nodes:
        if isinstance(node, GroupNode):
            _group(dot, node)
            continue
        if isinstance(node, OpNode):
            style = "dashed,filled" if node.cut or node.no_grad else "filled"
            dot.node(node.id, _escape(node.op), shape="ellipse", style=style, fillcolor=CUT if node.cut else OP)
            continue
        if not node.requires_grad:
            fill = CUT
        elif node.is_leaf:
            fill = LEAF
        else:
            fill = OUTPUT if node.id not in consumed else "white"
        dot.node(node.id, _tensor_label(node), shape="record", style="filled", fillcolor=fill)
    for edge in run.forward.edges:
        dashed = edge.source in cut_ops or edge.target in cut_ops
        dot.edge(edge.source, edge.target, style="dashed" if dashed else "solid")
    return dot


def _grad_fn_label(node: GradFnNode, tensors: dict[str, TensorNode]) -> str:
    tensor = tensors.get(node.tensor) if node.tensor else None
    title = node.name + (f" ({tensor.var})" if tensor is not None and tensor.var else "")
    fields = [title]
    if node.order is not None:
        fields.append(f"#{node.order + 1}")  # the order backward ran it in
    fields += [f"grad {format_summary(g)}" for g in node.grad_out]  # the gradient it received
    if node.saved:
        fields += [
            f"saved {s.name}: {format_summary(s.value) if s.value else s.repr}"
            for s in node.saved
            if s.value is not None
        ]
    return "{" + "|".join(_escape(f) for f in fields) + "}"


def _backward_dot(run: Run) -> graphviz.Digraph:
    dot = _digraph()
    tensors = {n.id: n for n in run.forward.nodes if isinstance(n, TensorNode)}
    roots = {n.id for n in run.backward.nodes} - {e.target for e in run.backward.edges}
    for node in run.backward.nodes:
        if isinstance(node, GroupNode):
            _group(dot, node)
            continue
        if node.name == "AccumulateGrad":
            fill = LEAF
        elif node.id in roots:
            fill = OUTPUT
        else:
            fill = SAVED if any(s.value is not None for s in node.saved or ()) else "white"
        dot.node(node.id, _grad_fn_label(node, tensors), shape="record", style="filled", fillcolor=fill)
    for edge in run.backward.edges:
        label = format_summary(edge.grad, width=24) if edge.grad is not None else ""
        dot.edge(edge.source, edge.target, label=_escape(label), style="solid" if edge.grad else "dashed")
    return dot


def _group(dot: graphviz.Digraph, node: GroupNode) -> None:
    label = "{" + _escape(node.label) + "|" + _escape(f"{len(node.members)} nodes") + "}"
    dot.node(node.id, label, shape="record", style="filled,bold", fillcolor=GROUP)


def _digraph() -> graphviz.Digraph:
    dot = graphviz.Digraph(
        graph_attr={"rankdir": "TB", "fontname": FONT},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "9"},
    )
    return dot


def to_dot(run: Run, view: str) -> str:
    """The DOT source of a run's `forward` or `backward` graph."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    return (_forward_dot(run) if view == "forward" else _backward_dot(run)).source


def render(dot_source: str, fmt: str, timeout_s: float) -> bytes:
    """DOT -> `svg` or `png` bytes with Graphviz `dot`, killed after `timeout_s` seconds."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"format must be svg or png, not {fmt!r}")
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"], input=dot_source.encode(), capture_output=True, timeout=timeout_s, check=False
        )
    except FileNotFoundError:
        raise RenderError("Graphviz `dot` is not installed (Debian package graphviz)") from None
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {timeout_s} s to lay the graph out") from None
    if done.returncode != 0:
        raise RenderError(f"Graphviz failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout
