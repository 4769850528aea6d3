"""The sandbox: a pool of warm, jailed worker processes that run snippets (pool.py, worker.py), and the jail
Graphviz draws in (jail.py). What the rest of the server uses of it is named here."""

from .jail import graphviz_command
from .pool import UNSANDBOXED_WARNING, Overloaded, Sandbox, SandboxUnavailable, check_isolation

__all__ = ["UNSANDBOXED_WARNING", "Overloaded", "Sandbox", "SandboxUnavailable", "check_isolation", "graphviz_command"]
