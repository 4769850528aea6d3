"""Forged Runs, as a child that lied could send them: every string a snippet (or a forged result) can choose
carries a payload meant to end a DOT string, add a Graphviz attribute, break a record, end a <script>, or run
script in the page. Tests store them straight into the store and look at what the server and the page make
of them."""

import json
import re

# Script payloads set window.__pwned (or call alert) when they run: the browser tests assert neither happened.
PAYLOADS = [
    "end\\",
    "two\\\\",
    'q"uote',
    'back\\"slash',
    '"',
    "line\nbreak\r\ttab",
    '" URL="javascript:window.__pwned=1" x="',
    '\\" URL="javascript:window.__pwned=2" label="',
    'x\\" image="/etc/passwd" y=\\',
    '" shapefile="/etc/shadow',
    "href=javascript:alert(3)",
    "]; pwned [label=<<b>html</b>> URL=<javascript:alert(4)>]; x [",
    "{rec|ord}<port>",
    "<b>html</b>",
    '<img src=x onerror="window.__pwned=5">',
    "</script><script>window.__pwned=6</script>",
    "<!--<script>",
    "\\N \\G \\L \\n \\l \\E \\T \\H",
    "&lt;&#92;N&amp;&quot;",
    "\u2028\u2029",
    "--!><svg onload=alert(7)>",
    "<svg><script>window.__pwned=8</script></svg>",
    "javascript:window.__pwned=9",
]


def summary(data=1.0) -> dict:
    return {"shape": [], "dtype": "float32", "data": data, "truncated": False}


def forged_run(run_id: str, payloads: list[str] = PAYLOADS, *, with_ids: bool = True) -> dict:
    """A Run whose every string is a payload: a chain tensor -> op -> tensor per payload, backward nodes named
    by payloads, node ids made of them (`with_ids`), stdout, error, module, saved reprs and dtypes too."""
    forward_nodes, forward_edges, backward_nodes, backward_edges = [], [], [], []
    previous = None
    for i, text in enumerate(payloads):
        tid = f"t{i}{text}" if with_ids else f"t{i}"
        oid = f"o{i}{text}" if with_ids else f"o{i}"
        bid = f"b{i}{text}" if with_ids else f"b{i}"
        forward_nodes.append(
            {
                "id": tid,
                "kind": "tensor",
                "var": text,
                "line": 1,
                "shape": [],
                "dtype": text,
                "requires_grad": True,
                "is_leaf": previous is None,
                "version": 0,
                "value": summary(),
                "grad": summary(text),
                "grad_fn": bid,
            }
        )
        forward_nodes.append({"id": oid, "kind": "op", "op": text, "line": 1, "module": text})
        forward_edges += [{"source": tid, "target": oid}]
        if previous is not None:
            forward_edges.append({"source": previous, "target": tid})
        previous = oid
        backward_nodes.append(
            {
                "id": bid,
                "kind": "grad_fn",
                "name": text,
                "tensor": tid,
                "grad_in": [summary()],
                "grad_out": [summary(text)],
                "order": i,
                "saved": [
                    {"name": text, "repr": text},
                    {"name": text, "tensor": tid, "value": summary(text)},
                ],
            }
        )
        if i:
            backward_edges.append(
                {"source": backward_nodes[i - 1]["id"], "target": bid, "input_nr": 0, "grad": summary(text)}
            )
    joined = " | ".join(payloads)
    return {
        "id": run_id,
        "code": "print('hello')\n# " + joined.replace("\n", " ") + "\n",
        "status": "error",
        "error": {"type": payloads[0], "message": joined, "line": 1, "hint": {"en": joined, "ko": joined}},
        "stdout": joined,
        "stderr": joined,
        "forward": {"nodes": forward_nodes, "edges": forward_edges},
        "backward": {"nodes": backward_nodes, "edges": backward_edges},
        "torch_version": joined,
        "backward_passes": 1,
        "duration_ms": 1.0,
    }


def forged_bytes(run_id: str, **kwargs) -> bytes:
    return json.dumps(forged_run(run_id, **kwargs), ensure_ascii=False).encode()


# What Graphviz draws a gradwalk graph with; anything else in a picture (a link, an image, a script) was injected.
SVG_ELEMENTS = {"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "text"}


def svg_problems(svg: str | bytes) -> list[str]:
    """Elements and attributes in an SVG picture that link, load or run something."""
    import xml.etree.ElementTree as ElementTree

    problems = []
    for element in ElementTree.fromstring(svg).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag not in SVG_ELEMENTS:
            problems.append(tag)
        problems += [f"{tag}[{name}]" for name in element.attrib if re.search(r"href|^on|src|style", name, re.I)]
    return problems
