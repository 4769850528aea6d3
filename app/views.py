"""Views of a stored run: the run's JSON, a folded view of it (`fold`, `expand`), and one of its graphs as DOT, SVG
or PNG. Made in the drawing slots, one at a time per client; only the views the page opens with (and the pictures
of whole graphs) are cached with the run: there are many other views of a run, and each is asked for rarely. What a
client's requests read of storage counts against its budget a minute (GRADWALK_RATE_LIMIT_READ_MB_PER_MIN).
"""

import hashlib
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Annotated, Literal

from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, StringConstraints

from . import __version__
from .apart import Apart
from .embed import TooBigToEmbed, standalone_html, viewer_version
from .fold import fold_run
from .gc_pause import gc_paused
from .graph import Run, encode, parse_run
from .limits import ByteRate, Slots, StoredRate, TimeRate
from .render import RenderError, names_from_code, render, to_dot, too_dense
from .settings import Settings
from .store import Found, Store

# Cached views and pictures are named after what made them: after an upgrade that draws or folds differently
# they are made again, not served stale. Raise VIEW_FORMAT with any change to what fold.py or render.py make.
VIEW_FORMAT = 14
MADE_BY = f"{__version__}-{VIEW_FORMAT}"
MIB = 1 << 20
FAILURES_KEPT = 4096  # drawings Graphviz failed, remembered so that asking again does not run it again
# A drawing that ran out of time is tried again after this many seconds: its time is the wall clock's, which
# another client's load can slow, and remembered for good it would be refused to everyone from then on.
LATE_KEPT_S = 600.0
_clock = time.monotonic
Format = Literal["dot", "svg", "png"]
View = Literal["forward", "backward"]
Language = Literal["en", "ko"]


class NoSuchRun(LookupError):
    """No run is stored under this id (404)."""


class TooBigToDraw(ValueError):
    """The graph has more nodes than the server draws (413)."""


class FoldQuery(BaseModel):
    """A folded view of the stored run (the run itself keeps every node)."""

    fold: int | None = Field(
        None,
        ge=1,
        le=10_000_000,
        description="Fold repeated blocks into one node with a count, and module calls while a graph has more "
        "than this many nodes. Absent: every node.",
    )
    # bounded so that a request line stays well under the HTTP server's limit (about 64 KiB)
    expand: list[Annotated[str, StringConstraints(max_length=24)]] = Field(
        [], max_length=100, description="Ids of groups of a folded view to show unfolded."
    )

    def key(self, drawn: str = "") -> str:
        """A name for this view and the code that folds it (and `drawn`: how its graph is drawn), for the caches:
        short for a view with nothing expanded (the only ones the store keeps, in 32 characters), and with a 128-bit
        digest of what is expanded for the others (8 hex digits let a list with another's name be searched for
        offline: another person's click on it showed that list's view, or was refused as it had been)."""
        made = hashlib.sha256(f"{MADE_BY}\0{drawn}".encode()).hexdigest()[:8]
        if not self.expand:
            return f"f{self.fold}-{made}"
        expanded = hashlib.sha256(json.dumps(sorted(set(self.expand))).encode()).hexdigest()[:32]
        return f"f{self.fold}-{made}-{expanded}"


class Views:
    """The views of the runs in `store`, made in the `drawing` slots within the settings' limits.

    The folded views asked for last are also kept in memory (a quarter of GRADWALK_RUN_CACHE_MB), so that the
    page's two graphs of a view it just opened are drawn from that view, not folded again."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        drawing: Slots,
        stored: StoredRate | None = None,
        apart: Apart | None = None,
    ):
        self.settings = settings
        self.apart = apart or Apart(0, 0)  # (big runs are folded and drawn apart from the server's process)
        self.store = store
        self.drawing = drawing
        self.shares = stored or StoredRate(0)  # (what each client's runs and pictures stored: its share of storage)
        self.reads = ByteRate(
            settings.rate_limit_read_mb_per_min << 20,
            60.0,
            "requests read {} of stored runs, pictures and the site's files in the last minute",
            "GRADWALK_RATE_LIMIT_READ_MB_PER_MIN",
        )
        self.page_time = TimeRate(settings.rate_limit_page_s_per_min, "run pages", "GRADWALK_RATE_LIMIT_PAGE_S_PER_MIN")
        self.recent: OrderedDict[tuple[str, str], bytes] = OrderedDict()  # (run id, view key) -> its JSON
        self.recent_bytes = 0
        # (run id, picture) -> why Graphviz failed, and until when (_clock()) that is believed
        self.failed: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()
        # run id -> how many times it ran again (`forget`): what was drawn from its run before is kept for none
        self.replaced: OrderedDict[str, int] = OrderedDict()
        self.lock = threading.Lock()

    async def stored(self, run_id: str, client: str | None) -> Found | None:
        """A run, read for `client` (None: for the server itself): from memory when it is there, else from the
        database in a thread."""
        if client is not None:
            self.reads.check(client, time.time())
        found = self.store.recent(run_id) or await run_in_threadpool(self.store.load, run_id)
        if found is not None and client is not None:
            self.reads.add(client, time.time(), len(found.body))
        return found

    def _kept(self, folding: FoldQuery) -> bool:
        """Whether a view is cached with the run: the page's own (its budget, nothing expanded)."""
        return folding.fold == self.settings.page_fold_nodes and not folding.expand

    def run_json(
        self, client: str, run_id: str, folding: FoldQuery, data: bytes | None = None, run: Run | None = None
    ) -> bytes:
        """The run's JSON, or its folded view (the run itself when within the budget); NoSuchRun if there is no
        such run. The stored run is read in the drawing slot unless the caller has it (`data`, and `run`, `data`
        already parsed)."""
        folded = self._folded(client, run_id, folding, data, run)
        if folded is not None:
            return folded
        return data if data is not None else self._load(client, run_id)

    def page_json(self, client: str, run_id: str) -> bytes | None:
        """The run's JSON as its page opens it (folded past GRADWALK_PAGE_FOLD_NODES), or None when that is more than
        GRADWALK_PAGE_INLINE_MAX_BYTES (the page reads it from the API); NoSuchRun if there is no such run. A run
        that folding leaves as it is is measured by its row, not read (a 60 MB run was read to be measured)."""
        limit = self.settings.page_inline_max_bytes
        folded = self._folded(client, run_id, FoldQuery(fold=self.settings.page_fold_nodes))
        if folded is not None:
            return folded if len(folded) <= limit else None
        size = self.store.json_size(run_id)  # (0: not recorded)
        if size is None:
            raise NoSuchRun(repr(run_id))
        if size > limit:
            return None
        data = self._load(client, run_id)  # (a run stored before sizes were recorded is measured as it is read)
        return data if len(data) <= limit else None

    def _folded(
        self, client: str, run_id: str, folding: FoldQuery, data: bytes | None = None, run: Run | None = None
    ) -> bytes | None:
        """The folded view's JSON, or None when folding leaves the run as it is (no `fold`, or within it). `run` is
        `data` parsed, used only when `data` is worked on in place (from a process apart it is a Run's head, or the
        view asked for, folded as the Run was checked: `fold` set)."""
        view = run if run is not None and run.fold is not None and not folding.expand else None
        if view is not None and view.fold is not None and view.fold.budget != folding.fold:
            view = None
        if data is None or run is None or self.apart.wanted(len(data)):
            run = None
        elif folding.fold is not None and not (run.forward.nodes or run.backward.nodes):  # (a head, made apart)
            run = parse_run(data, check_ids=False)  # (its JSON padded, written again under GRADWALK_APART_MIN_BYTES)
        if folding.fold is None or (run is not None and _within(run, folding.fold)):
            return None
        name = f"run-{folding.key()}.json"
        cached = self._remembered(run_id, name)
        if cached is None and self._kept(folding):
            cached = self._read(client, partial(self.store.load_render, run_id, name))
        if cached is not None:
            return cached or None  # (b"": folding changes nothing, as found before)
        with self.drawing.hold(client, self.settings.render_timeout_s):
            drawn_from = self._generation(run_id)
            if view is not None:
                made = encode(view)
            else:
                data = data if data is not None else self._load(client, run_id)
                made = self.apart.call(len(data), folded_json, data, folding.fold, frozenset(folding.expand), run)
        if self._generation(run_id) == drawn_from:  # (else the run ran again meanwhile: this is its old one's view)
            if self._kept(folding) and made:
                self._keep(client, run_id, name, made)
            self._remember(run_id, name, made)
        return made or None

    def graph(
        self, client: str, run_id: str, view: View, fmt: Format, folding: FoldQuery, formulas: Language | None = None
    ) -> bytes:
        """One graph of the run (or of a folded view of it) as DOT, or drawn as SVG or PNG (RenderError when
        Graphviz cannot); `formulas`: the language of the local derivatives written on backward nodes."""
        formulas = formulas if view == "backward" else None  # (the forward graph has none)
        drawn_from = self._generation(run_id)  # (before the view it is drawn from is read)
        source = self._folded(client, run_id, folding)  # the view, made once (None: the run itself)
        kept = source is None or self._kept(folding)
        drawn = f"-{formulas}" if formulas else ""  # (in the name, or in its digest when folded)
        name = f"{view}-{MADE_BY}{drawn}.{fmt}" if source is None else f"{view}-{folding.key(drawn)}.{fmt}"
        cached = self._read(client, partial(self.store.load_render, run_id, name)) if kept else None
        if cached is not None:
            return cached
        with self.lock:
            failed = self.failed.get((run_id, name))
        if failed is not None and failed[1] > _clock():  # (Graphviz gave up on this very drawing)
            raise RenderError(failed[0])
        with self.drawing.hold(client, self.settings.render_timeout_s):
            data = source or self._load(client, run_id)
            dot = self.apart.call(self._work_size(data), graph_dot, data, view, fmt, self.settings, formulas)
            try:
                body = dot.encode() if fmt == "dot" else render(dot, fmt, self.settings, self.apart)
            except RenderError as error:
                self._failed(run_id, name, str(error), _clock() + LATE_KEPT_S if error.timed_out else math.inf)
                raise
        if kept and self._generation(run_id) == drawn_from:
            self._keep(client, run_id, name, body)
        return body

    def page_file(self, client: str, run_id: str) -> bytes:
        """The one-file run (app/embed.py): both graphs interactive, folded as the page opens them, with Graphviz
        inside and the pictures Graphviz draws here; cached with the run (named after the viewer it carries)."""
        name = f"file-{viewer_version(self.settings.static_path())}-{MADE_BY}.html"
        cached = self._read(client, partial(self.store.load_render, run_id, name))
        if cached is not None:
            return cached
        with self.lock:
            failed = self.failed.get((run_id, name))
        if failed is not None:  # (too big to carry, as found before: folding it again would say so again)
            raise TooBigToEmbed(failed[0])
        drawn_from = self._generation(run_id)
        data = self._load(client, run_id)
        with self.drawing.hold(client, self.settings.render_timeout_s):
            try:
                size = self._work_size(data)  # (made apart, its pictures are too; in place, their big layouts' labels)
                here = None if self.apart.wanted(size) else self.apart
                body = self.apart.call(size, file_html, data, self.settings, here)
            except TooBigToEmbed as error:
                self._failed(run_id, name, str(error), math.inf)
                raise
        if self._generation(run_id) == drawn_from:
            self._keep(client, run_id, name, body)
        return body

    def _work_size(self, data: bytes) -> int:
        """How big drawing a run's JSON `data` counts as, for doing it apart (app/apart.py): its size, or, when the
        drawing works tensors' names out from the run's code (`names_from_code`), at least what is always done apart.
        Python's parser holds the interpreter lock for the whole of one call, and its time is not the code's size: a
        forged Run with 75 KB of code, one f-string of 25,000 `{a}`, took it 3 s in the server's process, every other
        request (`/healthz` too) waiting, for each drawing of each such run a client asked for."""
        if self.apart.wanted(len(data)) or not names_from_code(data):
            return len(data)
        return max(len(data), self.apart.min_bytes)

    def _keep(self, client: str, run_id: str, name: str, body: bytes) -> None:
        """Store a picture with its run, counted against the client that asked for it (its share of storage, as its
        runs are: storage lets the oldest runs go first, whoever made them); past its share, it is not kept."""
        if self.shares.within(client, time.time()):
            self.shares.add(client, time.time(), self.store.save_render(run_id, name, body))

    def _failed(self, run_id: str, name: str, why: str, until: float) -> None:
        """Remember that drawing `name` of the run failed, and why, until `until` (_clock())."""
        with self.lock:
            self.failed[(run_id, name)] = (why, until)
            while len(self.failed) > FAILURES_KEPT:
                self.failed.popitem(last=False)

    def _generation(self, run_id: str) -> int:
        with self.lock:
            return self.replaced.get(run_id, 0)

    def forget(self, run_id: str) -> None:
        """Forget what memory holds of a run's views (it ran again: the store's pictures went with its old Run), and
        keep none drawn from its old Run that is under way: one asked for just before the run ran again was kept
        after the store's pictures went, for everyone (another client's picture of 2401 nodes for a run of 3)."""
        with self.lock:
            self.replaced[run_id] = self.replaced.pop(run_id, 0) + 1
            while len(self.replaced) > FAILURES_KEPT:  # (a run forgotten here: its drawings under way are not kept)
                self.replaced.popitem(last=False)
            for key in [key for key in self.recent if key[0] == run_id]:
                self.recent_bytes -= _held(self.recent.pop(key))
            for key in [key for key in self.failed if key[0] == run_id]:
                del self.failed[key]

    def _remembered(self, run_id: str, name: str) -> bytes | None:
        with self.lock:
            found = self.recent.get((run_id, name))
            if found is not None:
                self.recent.move_to_end((run_id, name))
            return found

    def _remember(self, run_id: str, name: str, made: bytes) -> None:
        budget = self.settings.run_cache_mb * MIB // 4
        if len(made) > budget // 4:
            return
        with self.lock:
            old = self.recent.pop((run_id, name), None)
            self.recent[(run_id, name)] = made
            self.recent_bytes += _held(made) - (0 if old is None else _held(old))
            while self.recent_bytes > budget:
                _, dropped = self.recent.popitem(last=False)
                self.recent_bytes -= _held(dropped)

    def _read(self, client: str, read: Callable[[], bytes | None]) -> bytes | None:
        """What `read` reads of storage for `client`, counted against its budget (ClientBusy past it, before
        reading): one client reading a 60 MB run from four connections kept a core of the server 83% busy."""
        self.reads.check(client, time.time())
        body = read()
        if body:
            self.reads.add(client, time.time(), len(body))
        return body

    def _load(self, client: str, run_id: str) -> bytes:
        data = self._read(client, partial(self.store.load_run, run_id))
        if data is None:
            raise NoSuchRun(repr(run_id))
        return data


REMEMBERED_BYTES = 512  # what remembering a view takes beyond its JSON: its key, the entry (`b""`, a fold that
# changes nothing, takes this: ten million such folds were remembered as taking nothing, and never let go of)


def folded_json(data: bytes, fold: int, expand: frozenset[str], run: Run | None = None) -> bytes:
    """The JSON of the view of a stored run's JSON `data` (or `run`, `data` parsed) folded within `fold` nodes with
    `expand` unfolded; b"" when folding leaves it as it is."""
    with gc_paused():
        run = run or parse_run(data, check_ids=False)  # stored: checked when it came in
        folded = fold_run(run, fold, expand)
        return b"" if folded is run else encode(folded)


def graph_dot(data: bytes, view: View, fmt: Format, settings: Settings, formulas: Language | None) -> str:
    """The DOT of one graph of a stored run's JSON `data` (or of a view of it); TooBigToDraw when it is to be drawn
    (`fmt` not DOT) and Graphviz would not draw it in good time."""
    with gc_paused():
        run = parse_run(data, check_ids=False)
        graph = run.forward if view == "forward" else run.backward
        if fmt != "dot" and len(graph.nodes) > settings.render_max_nodes:
            raise TooBigToDraw(
                f"the {view} graph has {len(graph.nodes)} nodes; the server draws at most "
                f"{settings.render_max_nodes} (GRADWALK_RENDER_MAX_NODES): use the DOT or the JSON"
            )
        if fmt != "dot" and too_dense(len(graph.nodes), len(graph.edges), settings.render_max_edges):
            raise TooBigToDraw(
                f"the {view} graph has {len(graph.edges)} edges between {len(graph.nodes)} nodes; the server draws "
                f"at most {settings.render_max_edges} (GRADWALK_RENDER_MAX_EDGES), or twice the nodes: use the DOT "
                "or the JSON"
            )
        return to_dot(run, view, settings.label_whole_elements, formulas)


def file_html(data: bytes, settings: Settings, apart: Apart | None = None) -> bytes:
    """The one-file run of a stored run's JSON `data` (TooBigToEmbed past GRADWALK_PAGE_INLINE_MAX_BYTES); `apart`:
    where its pictures' labels are placed when their layout is big (made in the server's process: app/render.py)."""
    with gc_paused():
        run = parse_run(data, check_ids=False)
        limit = settings.page_inline_max_bytes
        return standalone_html(run, settings, max_data_bytes=limit, apart=apart).encode()


def _held(made: bytes) -> int:
    return len(made) + REMEMBERED_BYTES


def _within(run: Run, budget: int) -> bool:
    return max(len(run.forward.nodes), len(run.backward.nodes)) <= budget
