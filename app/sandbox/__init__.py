"""The sandbox: a pool of warm, jailed worker processes that run snippets (see pool.py and worker.py)."""

from .pool import Overloaded, Sandbox, SandboxUnavailable

__all__ = ["Overloaded", "Sandbox", "SandboxUnavailable"]
