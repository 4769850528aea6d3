"""Formulas without numbers for many nodes, at the price of a string format each: one explanation per kind of node
(its class, the shapes and saved values the formulas depend on), with every name left as a placeholder, then
filled in for each node of that kind.

For a run too large to explain every node in full (numbers, checks): `Templates.explain` gives what `explain_node`
gives with `brief`, for a fraction of its cost. The kind (`_kind`) holds everything the text of an explanation
depends on: shapes (a summed broadcast, `⊙` against `·`), 0-dim saved values (`x * 3` is written `3`), plain saved
values, which slots the snippet named, and the short names it uses (formulas give unnamed tensors letters other
than those). A test compares every template with `explain_node(brief=...)` on the same node.
"""

from collections.abc import Collection, Sequence
from typing import Any

from torch import Tensor

from .node import explain_node
from .rule import PLAIN_NAME, Unreadable, Words

SHORT_NAME = 6  # a name this short may be a letter formulas use (`x`, `W`, `out`, `result`)
_FIELD = "_gw{}_"  # a placeholder for a name: a plain name (no parentheses added), untouched by capitalizing


def _tensor_kind(value: Any, with_value: bool) -> Any:
    if isinstance(value, Tensor):
        shape = tuple(value.shape)
        if with_value and value.numel() <= 1:  # (`x * 3`: the formula writes the 3)
            return (shape, value.dtype, value.item())
        return (shape, value.dtype)
    if isinstance(value, Unreadable):
        return ("unreadable", value.reason, value.shape)
    if isinstance(value, (list, tuple)):
        return tuple(_tensor_kind(v, with_value) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _grads_kind(grads: Sequence[Any]) -> tuple:
    return tuple(None if g is None else _tensor_kind(g, False) for g in grads)


class _Template:
    """An explanation whose strings are format strings: `{0}`, `{1}`... each slot's name, `{n}` the output's."""

    __slots__ = ("formula", "inputs", "rule", "words")

    def __init__(self, explanation: dict, fields: int):
        names = {_FIELD.format(i): f"{{{i}}}" for i in range(fields)}

        def pattern(text: str) -> str | tuple[str]:
            """The text itself when it holds no placeholder, else (its format string,)."""
            if "_gw" not in text:
                return text
            text = text.replace("{", "{{").replace("}", "}}")
            for placeholder, field in names.items():
                text = text.replace(placeholder, field)
            return (text,)

        self.rule = explanation["rule"]
        self.words = (pattern(explanation["words"]["en"]), pattern(explanation["words"]["ko"]))
        self.formula = (pattern(explanation["formula"]["en"]), pattern(explanation["formula"]["ko"]))
        self.inputs = [
            (e["slot"], pattern(e["formula"]["en"]), pattern(e["formula"]["ko"])) for e in explanation["inputs"]
        ]

    def fill(self, to: Sequence[str | None], labels: list[str]) -> dict:
        def text(pattern: str | tuple[str]) -> str:
            return pattern if isinstance(pattern, str) else pattern[0].format(*labels)

        return {
            "rule": self.rule,
            "words": {"en": text(self.words[0]), "ko": text(self.words[1])},
            "formula": {"en": text(self.formula[0]), "ko": text(self.formula[1])},
            "inputs": [
                {
                    "slot": slot,
                    "to": to[slot] if slot < len(to) else None,
                    "formula": {"en": text(en), "ko": text(ko)},
                    "numbers": None,
                    "check": None,
                }
                for slot, en, ko in self.inputs
            ],
        }


def _label(name: str) -> str:
    return name if PLAIN_NAME.match(name) else f"({name})"


class Templates:
    """Brief explanations (formulas, no numbers, no checks; the words say why: `brief`) of the nodes of one run."""

    def __init__(self, brief: Words, avoid: Collection[str]):
        self.brief, self.avoid = brief, avoid
        self.short = frozenset(n for n in avoid if len(n) <= SHORT_NAME)  # (the other names cannot be letters)
        self.made: dict[tuple, _Template | None] = {}

    def kinds(self) -> int:
        """How many kinds of node have been explained (each once, in full, without numbers)."""
        return len(self.made)

    def explain(
        self,
        node_name: str,
        grad_outputs: Sequence[Tensor | None],
        grad_inputs: Sequence[Tensor | None],
        saved: dict[str, object],
        inputs: Sequence[Tensor | None],
        to: Sequence[str | None],
        names: Sequence[str | None],
        *,
        output_name: str | None = None,
        incoming: Sequence[tuple[str, Tensor | None]] = (),
        user_function: bool | None = None,
        leaf_hooks: bool = False,
    ) -> dict | None:
        """What `explain_node(..., brief=self.brief)` answers for this node (the same arguments)."""
        short = self.short.union(n for n in (*names, output_name) if n is not None and len(n) <= SHORT_NAME)
        kind = (
            node_name,
            user_function,
            leaf_hooks,
            _grads_kind(grad_outputs),
            _grads_kind(grad_inputs),
            tuple((k, _tensor_kind(v, True)) for k, v in saved.items()),
            _grads_kind(inputs),
            tuple(n is not None for n in names),
            output_name is not None,
            tuple(label for label, _ in incoming),
            _grads_kind([g for _, g in incoming]),
            short,
        )
        if kind not in self.made:
            fields = len(names) + 1
            explanation = explain_node(
                node_name,
                grad_outputs,
                grad_inputs,
                saved,
                inputs,
                to,
                [None if n is None else _FIELD.format(i) for i, n in enumerate(names)],
                0,
                output_name=None if output_name is None else _FIELD.format(fields - 1),
                incoming=incoming,
                user_function=user_function,
                avoid=short,
                leaf_hooks=leaf_hooks,
                brief=self.brief,
            )
            self.made[kind] = None if explanation is None else _Template(explanation, fields)
        template = self.made[kind]
        if template is None:
            return None
        labels = [_label(n) if n is not None else "" for n in names]
        labels.append(_label(output_name) if output_name is not None else "")
        return template.fill(to, labels)
