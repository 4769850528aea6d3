"""Every backward node explains itself: its local derivative, the chain rule with the run's own numbers, and a
check of both against the gradients PyTorch produced.

`explain_node` (in `node`) is the one entry point: a pure function of what a recorder holds for one autograd
node at export time, returning the Run's `explain` dict (CONTRACT.md v2, `app.graph.Explanation`) or None.
The capture engine's export (`app/capture/explanation.py`) calls it once per backward node with the values it kept;
`template` explains many nodes of one kind at the cost of a string format, without numbers (past
GRADWALK_EXPLAIN_MAX_NODES). `docs/explain.md` says how to add a rule.
"""

from . import rules  # noqa: F401 (registers the rules)
from .node import explain_node
from .rule import RULES, Unreadable

__all__ = ["RULES", "Unreadable", "explain_node"]
