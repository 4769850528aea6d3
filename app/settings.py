"""gradwalk's settings: one frozen model, read from `GRADWALK_<NAME>` environment variables.

This is the only module that reads the environment. Every limit carries its unit in its name, a default and a
help line; `docs/settings.md` documents each one (a test checks that none is missing).
"""

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENV_PREFIX = "GRADWALK_"


class SettingsError(ValueError):
    """A setting from the environment is not valid; the message names it and says why."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_nodes: int = Field(
        100_000,
        ge=10,
        le=10_000_000,
        description="Most nodes a run's graphs may hold, forward and backward together; a snippet that "
        "builds more is stopped there with status `limit`.",
    )
    max_elements: int = Field(
        100,
        ge=1,
        le=100_000,
        description="Most values a tensor summary lists; larger tensors show their first values plus "
        "min, max and mean.",
    )
    max_output_bytes: int = Field(
        65_536,
        ge=1_024,
        le=16 * 1024 * 1024,
        description="Most bytes of standard output (and, separately, standard error) a run keeps; a "
        "snippet that prints more is stopped with status `limit`.",
    )
    max_source_bytes: int = Field(
        100_000, ge=1_024, le=10 * 1024 * 1024, description="Largest snippet accepted, in bytes of UTF-8."
    )
    render_timeout_s: float = Field(
        10.0,
        gt=0,
        le=600,
        description="Longest Graphviz may take to draw one SVG or PNG, in seconds; then it is killed.",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Settings from `GRADWALK_*` variables (defaults for the rest); SettingsError names a bad one."""
        environ = os.environ if environ is None else environ
        values = {
            name: environ[ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if ENV_PREFIX + name.upper() in environ
        }
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(f"{ENV_PREFIX}{str(e['loc'][0]).upper()}: {e['msg']}" for e in exc.errors())
            raise SettingsError(problems) from None

    def capture_limits(self) -> dict:
        """The limits the capture engine takes, as keyword arguments."""
        return {
            "max_nodes": self.max_nodes,
            "max_elements": self.max_elements,
            "max_output_bytes": self.max_output_bytes,
        }
