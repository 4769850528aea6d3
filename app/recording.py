"""gradwalk from Python: `with record() as run:` records a block of the caller's own code where it runs (no
sandbox: it is the caller's code, in the caller's frame, its variables kept), and `run` is the API's Run
(`app.graph.Run`), with ways to see it: `show()`, `to_html(path)`, `to_json()`, `to_dot(view)`, and the notebook
display (`_repr_mimebundle_`, app/notebook.py).

torch is imported when a block starts, not before: `import gradwalk` stays quick.
"""

import functools
import linecache
import sys
import tempfile
import types
import webbrowser
from pathlib import Path
from typing import Any

import msgspec

from . import graph
from .render import to_dot
from .settings import Settings


@functools.cache
def settings() -> Settings:
    """The settings from the environment (GRADWALK_*), read once: the limits of a recording, where the viewer's
    files are. A recording is the user's own code in the user's own process: no sandbox (Graphviz draws its
    pictures as the user, not in the server's jail)."""
    return Settings.from_env().model_copy(update={"sandbox": "off"})


class Run(graph.Run):
    """One recording: the API's Run (the same fields and JSON), with ways to see it."""

    def __repr__(self) -> str:
        error = f", error={self.error.type}: {self.error.message[:80]!r}" if self.error else ""
        return (
            f"<gradwalk Run {self.id} status={self.status!r}{error}, forward: {len(self.forward.nodes)} nodes, "
            f"backward: {len(self.backward.nodes)} nodes>"
        )

    def to_json(self) -> str:
        """The Run as JSON, as the API serves it."""
        return graph.encode(self).decode()

    def to_dot(self, view: str = "forward") -> str:
        """One graph (`forward` or `backward`) as Graphviz DOT: the server's DOT, the same labels (tensors of at most
        GRADWALK_LABEL_WHOLE_ELEMENTS values written whole)."""
        return to_dot(self, view, settings().label_whole_elements)

    def to_html(self, path: str | Path | None = None, *, fold: int | None = None, lang: str | None = None) -> str:
        """The one-file run: both graphs interactive, Graphviz inside, nothing loaded from anywhere. Written to
        `path` when given; returned either way. `fold`: graphs with more nodes open folded (default
        GRADWALK_PAGE_FOLD_NODES); `lang`: "en" or "ko" (default: the reader's browser)."""
        from .embed import standalone_html

        page = standalone_html(self, settings(), fold=fold, lang=lang)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def show(self, *, fold: int | None = None, lang: str | None = None) -> None:
        """Show both graphs: inline in a notebook, else the one-file run in the web browser."""
        from .notebook import display_bundle, in_notebook, mimebundle

        if in_notebook():
            display_bundle(mimebundle(self, fold=fold, lang=lang))
            return
        with tempfile.NamedTemporaryFile("w", suffix=".html", prefix="gradwalk-", delete=False) as file:
            file.write(self.to_html(fold=fold, lang=lang))
        webbrowser.open(Path(file.name).as_uri())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """What a notebook shows of a Run that ends a cell: both graphs, interactive, and their picture."""
        from .notebook import mimebundle

        return mimebundle(self)


_decoder = msgspec.json.Decoder(Run)


def as_run(made: dict[str, Any], code: str | None) -> Run:
    """The Run the capture engine made (a dict), as a checked `Run`, with an id as the API's runs have."""
    from .capture import dumps

    run = _decoder.decode(dumps(made))
    run.code = code
    run.id = graph.make_run_id(code or "", {"block": True}, run.torch_version or "")
    return run


class record:
    """Records the block of code under `with`: `with gradwalk.record() as run: ...`. The block runs as it would
    without gradwalk, in its own frame; `run` is filled in when it ends (also when it raised: then
    `run.status == "error"` and the exception goes on). Limits: GRADWALK_MAX_NODES and GRADWALK_RECORD_CPU_S (the
    recording stops there and the code runs on, `run.status == "limit"`), GRADWALK_MAX_ELEMENTS values per tensor,
    GRADWALK_MAX_OUTPUT_BYTES of printed text kept in `run.stdout` (all of it is printed), GRADWALK_EXPLAIN_MAX_NODES
    backward nodes explained in full."""

    def __init__(
        self, *, max_nodes: int | None = None, max_elements: int | None = None, max_output_bytes: int | None = None
    ):
        limits = settings().capture_limits()
        self.max_nodes = max_nodes or limits["max_nodes"]
        self.max_elements = max_elements or limits["max_elements"]
        self.max_output_bytes = max_output_bytes or limits["max_output_bytes"]
        self.explain_max_nodes = limits["explain_max_nodes"]
        self.keep_values_mb = limits["keep_values_mb"]
        self.record_cpu_s = limits["record_cpu_s"]
        self.max_recorded_passes = limits["max_recorded_passes"]
        self.frame: types.FrameType | None = None
        self.block: Any = None
        self.run: Run | None = None

    def __enter__(self) -> Run:
        from .capture.block import Block

        frame = sys._getframe(1)
        self.frame = frame
        self.block = Block(
            filename=frame.f_code.co_filename,
            top_code=frame.f_code,
            namespace=frame.f_locals,
            max_nodes=self.max_nodes,
            max_elements=self.max_elements,
            max_output_bytes=self.max_output_bytes,
            explain_max_nodes=self.explain_max_nodes,
            keep_values_mb=self.keep_values_mb,
            record_cpu_s=self.record_cpu_s,
            max_recorded_passes=self.max_recorded_passes,
        )
        self.run = Run(status="ok")
        self.block.start()
        return self.run

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, traceback: Any) -> None:
        """What the block raised goes on: gradwalk never stops it."""
        frame, self.frame = self.frame, None
        assert frame is not None and self.run is not None
        filename = frame.f_code.co_filename
        source = "".join(linecache.getlines(filename, frame.f_globals)) or None
        made = self.block.stop(frame.f_locals, exc, source)
        del frame
        run = as_run(made, source)
        for field in Run.__struct_fields__:
            setattr(self.run, field, getattr(run, field))
