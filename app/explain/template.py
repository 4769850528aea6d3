"""Formulas without numbers for many nodes, at the price of a string format each: one explanation per kind of node
(its class, the shapes and saved values the formulas depend on), with every name left as a placeholder, then
filled in for each node of that kind.

For a run too large to explain every node in full (numbers, checks): a node's template (`Templates.key`, made once
by `Templates.make`) filled in with its names gives what `explain_node` gives with `brief`, for a fraction of its
cost (app/capture/explanation.py does this for every node). The caller's kind holds what the text depends on in the
values (shapes: a summed broadcast, `⊙` against `·`; 0-dim saved values: `x * 3` is written `3`; plain saved
values); the template adds which slots the snippet named, and the short names it uses (formulas give unnamed tensors
letters other than those). A test compares every template with `explain_node(brief=...)` on the same node.

A 0-dim saved value that is a plain decimal (`0.73196`, `-12.5`: `number_kind`) is a placeholder too, filled with its
printed form, so that the nodes of a training loop (a new value in each step) share one template. Only its sign and
its side of 1 go in the kind; a template is made with two sets of stand-ins (`PROBES`), and where the two texts differ
other than by the printed stand-ins (a rule that writes `1 - c`, or decides by the value), the value goes back into
the kind (`exact`). Integers (`* 1`, `** 2`), 0, NaN, infinities, exponents (`1e-08`) and complex values always stay.
"""

import functools
import operator
import re
import string
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, NamedTuple

import torch

from .node import (
    bracketed_once,
    enclosed,
    explain_node,
    fill_korean_pieces,
    has_particle,
    korean_pieces,
    said_once,
)
from .rule import PLAIN_NAME, Words, is_plain, labelled
from .show import show_number

SHORT_NAME = 6  # a name this short may be a letter formulas use (`x`, `W`, `out`, `result`)
_FIELD = "_gw{}_"  # a placeholder for a name: a plain name (no parentheses added), untouched by capitalizing
_FIELDS = re.compile(r"_gw(\d+)_")
_DECIMAL = re.compile(r"-?\d+\.\d+")  # a printed number that is neither an integer nor an exponent (`1e-08`), nor nan


class Number(NamedTuple):
    """A 0-dim saved value in a kind, as a template's placeholder: all its text may depend on is its sign and its side
    of 1 (a test holds every template to explain_node's text on many values)."""

    positive: bool
    large: bool


# Two sets of stand-ins for a node's Numbers (a node's first, second... by its sign and size): printed with 5
# significant digits, no one part of another, each ending in 6 (a Korean particle after it takes one form in both).
PROBES = (
    ((0.73196, 0.61846, 0.52976, 0.41356), (3.7196, 6.1846, 5.2976, 4.1356)),
    ((0.086416, 0.27356, 0.38296, 0.19426), (71.846, 26.356, 38.296, 19.426)),
)


def number_kind(value: Any) -> Hashable:
    """What a brief explanation's text may depend on in a 0-dim saved value (`value.item()`): a `Number` for a plain
    decimal, else the value itself."""
    if type(value) is not float or _DECIMAL.fullmatch(show_number(value)) is None:
        return value
    return Number(value > 0, abs(value) > 1)


def exact(kind: tuple, numbers: Sequence[float]) -> tuple:
    """`kind` with its Numbers written as the values they stand for (`numbers`, in order): the kind of a node whose
    text depends on them."""
    values = iter(numbers)
    return tuple(next(values) if part.__class__ is Number else part for part in kind)


class _Template:
    """An explanation whose texts are either shared (no name in them: one dict for every node of the kind; nothing
    changes an explanation once made) or format strings: `{0}`, `{1}`... each slot's name, then the output's; filled
    once for each set of names, and shared by the nodes that have it (a loop's, step after step)."""

    __slots__ = ("filled", "formula", "inputs", "rule", "words")

    def __init__(self, explanation: dict, fields: int):
        def pattern(text: str) -> str | None:
            """The text's format string, or None when it holds no placeholder (read once, whatever the count of
            fields: a stack of 5000 tensors looked for each of its 5001 in each of its 5000 formulas, 15 s)."""
            if "_gw" not in text:
                return None
            text = text.replace("{", "{{").replace("}", "}}")
            return _FIELDS.sub(lambda found: f"{{{found[1]}}}" if int(found[1]) < fields else found[0], text)

        texts: dict[tuple[str, str], _Text] = {}  # (a text held twice, as a formula and its one slot's: one _Text)

        def words(pair: dict) -> "dict | _Text":
            en, ko = pattern(pair["en"]), pattern(pair["ko"])
            if en is None and ko is None:
                return {"en": pair["en"], "ko": pair["ko"]}
            key = (
                pair["en"].replace("{", "{{").replace("}", "}}") if en is None else en,
                pair["ko"].replace("{", "{{").replace("}", "}}") if ko is None else ko,
            )
            return texts.get(key) or texts.setdefault(key, _Text(*key))

        self.rule = explanation["rule"]
        self.words = words(explanation["words"])
        self.formula = words(explanation["formula"])
        self.inputs = [(e["slot"], words(e["formula"])) for e in explanation["inputs"]]
        # (labels, transposed) -> the texts filled in: a loop's nodes of one kind have the same names in each step
        self.filled: dict[tuple, tuple[dict, dict, list[tuple[int, dict]]]] = {}

    def fill(
        self,
        to: Sequence[str | None],
        labels: list[str],
        transposed: bool = False,
        numbers: Sequence[str] = (),
        reads: dict[str, tuple[str | None, bool]] | None = None,
    ) -> dict:
        """The explanation of one node: `to` each slot's forward tensor, `labels` the names (slots', then output's);
        `transposed`: a label is a transpose (`model.weightᵀ`), which the formulas may transpose again (written
        `model.weight`); `numbers` its Numbers as printed; `reads`: label -> `_bracketing(label)`, kept for a run."""
        key = (*labels, *numbers, transposed)
        texts = self.filled.get(key) or self._fill(labels, transposed, numbers, key, {} if reads is None else reads)
        count = len(to)
        return {
            "rule": self.rule,
            "words": texts[0],
            "formula": texts[1],
            "inputs": [
                {
                    "slot": slot,
                    "to": to[slot] if slot < count else None,
                    "formula": text,
                    "numbers": None,
                    "check": None,
                }
                for slot, text in texts[2]
            ],
        }

    def _fill(
        self, labels: list[str], transposed: bool, numbers: Sequence[str], key: tuple, reads: dict
    ) -> tuple[dict, dict, list[tuple[int, dict]]]:
        """The texts `fill` gives for these labels, kept under `key`."""
        # (`(a + b)`: its brackets once, where a call put brackets of its own around it, `σ((a + b))`; `model(x)`:
        # bracketed after ∂ and grad_, as explain_node writes them)
        read = [reads.get(label) or reads.setdefault(label, _bracketing(label)) for label in labels]
        wrapped = {inner for inner, _ in read if inner is not None}
        called = any(call for _, call in read)
        output = labels[-1] if labels and labels[-1] and not labels[-1].isidentifier() else None
        if numbers:
            labels = [*labels, *numbers]

        done: dict[tuple, dict] = {}  # (a text held twice, as a formula and its one slot's: filled once)

        def filled(pair: "dict | _Text", words: bool = False) -> dict:
            if isinstance(pair, dict):
                return pair
            found = done.get((pair, words))
            if found is not None:
                return found
            same = pair.same
            en = pair.en % pair.pick(labels)
            ko = en if same else pair.korean(labels)
            if wrapped or called:
                en = bracketed_once(en, wrapped, called)
                ko = en if same else bracketed_once(ko, wrapped, called)
            if words and output is not None:  # (as explain_node writes them)
                en = said_once(en)
                ko = en if same else said_once(ko)
            if transposed:
                en = untransposed(en)
                ko = en if same else untransposed(ko)
            made = done[(pair, words)] = {"en": en, "ko": ko}
            return made

        texts = (
            filled(self.words, words=True),
            filled(self.formula),
            [(slot, filled(text)) for slot, text in self.inputs],
        )
        self.filled[key] = texts
        return texts


class _Text:
    """A template's text in both languages, read once for every node of its kind to fill with its names: each language
    as a printf format and what picks its labels (see `_printf`), the Korean with the particle after each name found
    (`korean_pieces`), or `same`: alike in both languages with no particle to fit (most formulas), filled once."""

    __slots__ = ("en", "ko", "ko_pick", "pick", "pieces", "same")

    def __init__(self, en: str, ko: str):
        self.en, self.pick = _printf(en)
        self.same = ko == en and not has_particle(ko)
        self.pieces = korean_pieces(ko) if has_particle(ko) else None
        self.ko, self.ko_pick = _printf(ko)

    def korean(self, labels: Sequence[str]) -> str:
        """`fill_korean_format` of the Korean text."""
        if self.pieces is not None:
            return fill_korean_pieces(self.pieces, labels)
        return self.ko % self.ko_pick(labels)


class Templates:
    """Brief explanations (formulas, no numbers, no checks; the words say why: `brief`) of the nodes of one run."""

    one_by_one = False  # True: every node explained on its own, no template (what templates must equal)

    def __init__(self, brief: Words, avoid: Collection[str]):
        self.brief, self.avoid = brief, avoid
        self.short = frozenset(n for n in avoid if len(n) <= SHORT_NAME)  # (the other names cannot be letters)
        self.made: dict[tuple, _Template | Exact | None] = {}  # (EXACT: a kind whose text depends on its Numbers)
        self.labels: dict[str, str] = {}  # name -> what formulas write (a name that is no plain name in parentheses)
        # label -> what `_bracketing` reads in it, once a run (a 2000-layer MLP has 8,000 labels: an lru cache of 4,096
        # read each again)
        self.reads: dict[str, tuple[str | None, bool]] = {}

    def kinds(self) -> int:
        """How many kinds of node have been explained (each once, in full, without numbers)."""
        return len(self.made)

    def key(self, kind: tuple, names: Sequence[str | None], output_name: str | None) -> tuple:
        """The template a node uses: its kind, which slots are named (and which by one name), and the short names in
        play (formulas give unnamed tensors letters other than those). `kind` holds everything else its text depends
        on: the node's class, the shapes and dtypes of its gradients, saved tensors and inputs, its 0-dim saved values
        (`x * 3` is written `3`) and plain saved values, what could not be read, an AccumulateGrad's paths."""
        short = self.short
        for n in names:
            if n is not None and len(n) <= SHORT_NAME and n.isidentifier():
                short = short.union((n,))
        if output_name is not None and len(output_name) <= SHORT_NAME and output_name.isidentifier():
            short = short.union((output_name,))
        # (which slots are named, and which of them are one tensor, `x * x`: its derivatives say which input each is)
        named = tuple(-1 if n is None else i for n, i in zip(names, first_index(names), strict=True))
        return (kind, named, output_name is not None, short)

    def make(
        self,
        key: tuple,
        arguments: Callable[[], tuple[tuple, dict[str, Any]]],
        names: Sequence[str | None],
        output_name: str | None,
        numbers: Sequence[str] = (),
    ) -> "_Template | Exact | None":
        """The template of a kind of node (`key`), from one node of that kind: `arguments()` gives (args, kwargs) of
        `explain_node` for it (the first seven arguments, then keywords; `names` and `output_name` as given here);
        `numbers` the saved values its kind holds as Numbers, by name. EXACT: the text depends on their values."""
        args, kwargs = arguments()
        fields = len(names) + 1
        placeholders = [None if n is None else _FIELD.format(i) for n, i in zip(names, first_index(names), strict=True)]
        kwargs = {**kwargs, "output_name": None if output_name is None else _FIELD.format(fields - 1)}
        name, grad_outputs, grad_inputs, saved, inputs, slots_to = args[:6]

        def explained(saved: dict) -> dict | None:
            return explain_node(
                name,
                grad_outputs,
                grad_inputs,
                saved,
                inputs,
                slots_to,
                placeholders,
                0,
                avoid=key[3],
                brief=self.brief,
                **kwargs,
            )

        if not numbers:
            explanation = explained(saved)
        else:
            first, second = (_probed(explained, saved, numbers, probes, fields) for probes in PROBES)
            if isinstance(first, Exact) or first != second:
                self.made[key] = EXACT
                return EXACT
            explanation = first
        template = self.made[key] = None if explanation is None else _Template(explanation, fields + len(numbers))
        return template

    def labels_of(self, names: Sequence[str | None], output_name: str | None) -> list[str]:
        """What formulas write for each name (slots', then the output's)."""
        label = self.labels.get
        labels = [label(n) or self._label(n) if n is not None else "" for n in names]
        labels.append(label(output_name) or self._label(output_name) if output_name is not None else "")
        return labels

    def _label(self, name: str) -> str:
        found = self.labels[name] = labelled(name)
        if found is not name:  # (bracketed: what `_bracketing` reads in it is known, without reading it again)
            self.reads[found] = (name, not enclosed(found))
        return found


class Exact:
    """What `Templates.made` holds for a kind whose text depends on the values of its Numbers."""


EXACT = Exact()


def _probed(
    explained: Callable[[dict], dict | None], saved: dict, numbers: Sequence[str], probes: tuple, fields: int
) -> dict | Exact | None:
    """`explained(saved)` with the saved values named in `numbers` replaced by stand-ins of the same dtype, sign and
    side of 1, each stand-in's printed form in the texts written as the placeholder of field `fields + i`; EXACT if
    there are too few stand-ins, or the dtype's rounding makes one no Number of the same kind."""
    saved, printed = dict(saved), []
    for i, number in enumerate(numbers):
        value = saved[number]
        kind = number_kind(value.item())
        if i >= len(probes[0]) or kind.__class__ is not Number:
            return EXACT
        stand_in = torch.tensor(probes[kind.large][i] * (1 if kind.positive else -1), dtype=value.dtype)
        if number_kind(stand_in.item()) != kind:  # (bfloat16 writes 71.846 as 72)
            return EXACT
        saved[number] = stand_in
        printed.append(show_number(stand_in.item()))
    if len(set(printed)) < len(printed):
        return EXACT
    explanation = explained(saved)
    if explanation is None:
        return None
    found = re.compile("|".join(rf"(?<![\d.]){re.escape(p)}(?!\d)" for p in printed))
    fields_of = {p: _FIELD.format(fields + i) for i, p in enumerate(printed)}

    def written(pair: dict | None) -> dict | None:
        if pair is None:
            return None
        return {language: found.sub(lambda m: fields_of[m[0]], text) for language, text in pair.items()}

    return {
        **explanation,
        "words": written(explanation["words"]),
        "formula": written(explanation["formula"]),
        "inputs": [{**entry, "formula": written(entry["formula"])} for entry in explanation["inputs"]],
    }


@functools.lru_cache(maxsize=4096)
def _printf(pattern: str) -> tuple[str, Callable[[Sequence[str]], tuple]]:
    """A template's format string (`{0}`, `{1}`... the labels) as a printf format and what picks its arguments from the
    labels: `text % pick(labels)` is `pattern.format(*labels)` at half its cost (a run's nodes of one kind share it)."""
    text, fields = [], []
    for literal, field, _, _ in string.Formatter().parse(pattern):
        text.append(literal.replace("%", "%%"))
        if field is not None:
            text.append("%s")
            fields.append(int(field))
    if len(fields) > 1:
        return "".join(text), operator.itemgetter(*fields)
    return "".join(text), lambda labels: tuple(labels[i] for i in fields)


def _bracketing(label: str) -> tuple[str | None, bool]:
    """What a label tells `fill` (read once a run, `Templates.reads`: a label is met by the node that makes its tensor
    and those that use it): what its brackets hold when it is a bracketed formula (`(a + b)`), and whether it is a call
    or an index that is no one bracketed whole (`model(x)`, `x[0]`)."""
    inner = label[1:-1] if label.startswith("(") and not is_plain(label[1:-1]) else None
    return inner, bool(label) and PLAIN_NAME.match(label) is None and not enclosed(label)


def first_index(names: Sequence[str | None]) -> list[int]:
    """For each name, the index of its first occurrence in `names` (`names.index`, in linear time)."""
    first: dict[str | None, int] = {}
    return [first.setdefault(n, i) for i, n in enumerate(names)]


TRANSPOSED_TWICE = re.compile(r"ᵀᵀ|(?<=\w)\.m?Tᵀ")


def untransposed(text: str) -> str:
    """`text` with a transpose of a transpose written as what it is: `Wᵀᵀ` (`model.weightᵀ` transposed) and `W.Tᵀ`
    (the code's `W.T` transposed, in `x @ W.T`'s `grad · W.Tᵀ`) as `W`."""
    return TRANSPOSED_TWICE.sub("", text)


def is_transposed(name: str | None) -> bool:
    """Whether a name is a transpose the formulas may transpose again: `model.weightᵀ`, the code's `W.T` or `W.mT`."""
    return name is not None and (name.endswith("ᵀ") or name.endswith((".T", ".mT")))
