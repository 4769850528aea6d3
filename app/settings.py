"""gradwalk's settings: one frozen model, read from `GRADWALK_<NAME>` environment variables.

This is the only module that reads the environment. Every limit carries its unit in its name, a default and a help
line (the docstring under it); `docs/settings.md` documents each one (a test checks that none is missing).
Settings that contradict each other, or that would serve strangers' code without the jail, are refused at start
with a message naming the variables.
"""

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ENV_PREFIX = "GRADWALK_"


class SettingsError(ValueError):
    """A setting from the environment is not valid, or settings contradict each other; the message names them."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    # -- what a run may do --------------------------------------------------------------------------------------
    max_nodes: int = Field(100_000, ge=10, le=10_000_000)
    """Most nodes a run's graphs may hold, forward and backward together; past it the recording stops and the code
    runs on unrecorded, with status `limit`."""
    max_edges: int = Field(200_000, ge=10, le=100_000_000)
    """Most edges a run's graphs may hold, forward and backward together (a backward node has one per entry of its
    next_functions: `torch.stack([w] * 1000)` has 1000). A run with more keeps what it printed and its error, without
    graphs, with status `limit`: drawing a run costs the server memory by its edges as much as by its nodes."""
    max_elements: int = Field(64, ge=1, le=100_000)
    """Most values a tensor summary lists; larger tensors show their first values plus min, max and mean."""
    explain_max_nodes: int = Field(100, ge=0, le=10_000_000)
    """Most backward nodes a run explains in full: with its own numbers and a check against the gradient PyTorch
    produced (the last backward pass first, from the loss back); the others get their formulas only, and their
    words say so."""
    keep_values_mb: int = Field(64, ge=1, le=1_000_000)
    """Memory, in MiB, that values gradwalk holds for the Run (and the snippet no longer holds) may take while a run
    goes on; past it, the graphs no backward pass can reach any more (an evaluation without `no_grad`) are let go
    of with what their nodes saved, and the large values of older backward passes are summarised there and then and
    let go of (then, if that is not enough, the forward values of the last pass: a loop that never runs backward has
    all its values in one; the last pass's gradients and saved values stay), so a long training or evaluation loop
    needs about the memory it needs in plain Python. The Run shows the same summaries; only those nodes'
    explanations lose their numbers."""
    max_output_bytes: int = Field(65_536, ge=1024, le=16_777_216)
    """Most bytes of standard output (and, separately, standard error, and the error message) a run keeps; a snippet
    that prints more is stopped with status `limit`."""
    max_source_bytes: int = Field(100_000, ge=1024, le=10_485_760)
    """Largest snippet accepted, in bytes of UTF-8."""
    # -- the sandbox and its workers --------------------------------------------------------------------------
    sandbox: Literal["on", "off"] = Field("on")
    """`on`: every run happens in a bubblewrap jail (new namespaces, read-only system, its own non-root uid, seccomp,
    rlimits) and the server refuses to start without it. `off`: runs happen in plain worker processes with rlimits
    only; for one person on their own machine."""
    workers: int = Field(0, ge=0, le=256)
    """Worker processes that run snippets, each with torch loaded; 0 means one per CPU core."""
    run_timeout_s: float = Field(10.0, gt=0, le=3600)
    """Longest a run may take, wall clock, in seconds; then `timeout`."""
    run_cpu_s: int = Field(8, ge=1, le=3600)
    """CPU time a run may use, in seconds; then `timeout`."""
    record_cpu_s: float = Field(4.0, gt=0, le=3600)
    """CPU time a run may spend recording, in seconds (at most half of GRADWALK_RUN_CPU_S); past it gradwalk stops
    recording and the code runs on unrecorded (each torch call only checked); the run ends with status `limit`
    (`RecordLimit` in `recording_stopped`), its graphs showing what was recorded; a loop that takes half of it (or half
    the nodes a run may hold) pauses instead, and the code after it is recorded (`recording_paused`, status `ok`). A
    run about to use up GRADWALK_RUN_CPU_S or GRADWALK_RUN_TIMEOUT_S is stopped in time to draw and send what it
    recorded (status `timeout`)."""
    max_recorded_passes: int = Field(100, ge=1, le=10_000_000)
    """Backward passes a run records, in passes; past them a training loop runs on unrecorded (each torch call only
    checked for the loop's end), and the recording resumes with the code after the loop (the first call made outside
    every loop the pause came in, at the top level or in a function such as `main()`, or once the call that ran the
    passes returns: `map`, a thread, an optimizer's `step(closure)`), so a loop of thousands of steps ends in time
    with all its output, and what it leaves bound is shown as it ends. The status stays `ok`; `recorded_passes` says
    how many passes the graphs show."""
    run_memory_mb: int = Field(1024, ge=64, le=1_000_000)
    """Memory a run may allocate on top of the worker's own (torch included), in MiB; past it the run ends with status
    `limit`."""
    run_page_tables_mb: int = Field(64, ge=1, le=100_000)
    """Kernel page tables a run may hold, in MiB: the host's memory that maps a run's memory, counted in no other
    limit (memory mapped in many small pieces far apart); past it the worker stops the run (`limit`, `MemoryLimit`).
    An honest run's tables take about 1 MiB for the whole of GRADWALK_RUN_MEMORY_MB."""
    run_file_mb: int = Field(16, ge=1, le=100_000)
    """Largest file a run may write to its scratch directory, in MiB."""
    scratch_mb: int = Field(64, ge=1, le=100_000)
    """Size of a worker's private scratch directory (`/tmp` in the jail), in MiB; wiped after every run."""
    scratch_max_inodes: int = Field(4096, ge=16, le=10_000_000)
    """Most files, folders and links (the nodes of its file tree) a run may have in its scratch directory at once, a
    count (its tmpfs's `nr_inodes`); past it the run's next one fails with `No space left on device`. The wipe after
    a run takes its time by them (a chain of folders, the slowest, about 22 µs each on an idle core), so this bounds
    it."""
    run_max_threads: int = Field(8, ge=1, le=1024)
    """Threads a run may have at once (its processes are limited to one)."""
    run_torch_threads: int = Field(0, ge=0, le=64)
    """Threads torch computes a run's ops with (`torch.get_num_threads()` in the snippet); 0: as plain torch does on
    this machine (its cores), at most the CPUs the worker may use, so that sums round as they do outside gradwalk
    (a batch norm's statistics, then an optimizer's steps, printed the same). Either way at most half of
    GRADWALK_RUN_MAX_THREADS. Each run is a scheduling group of its own: its threads share one run's part of the
    CPU, and sleep between ops rather than spin (OpenMP's passive wait)."""
    max_result_bytes: int = Field(67_108_864, ge=65_536, le=2_147_483_648)
    """Largest Run JSON a worker may send back, in bytes; the recording stops before the graphs would outgrow it
    (`GraphLimit`), and a Run larger still keeps its output and error but loses its graphs (status `limit`)."""
    apart_min_bytes: int = Field(524_288, ge=0, le=2_147_483_648)
    """Size of a Run's JSON, in bytes, from which the server checks it (as it comes back from a run), folds it, writes
    its DOT and makes its one-file page in a process of its own, forked for that work, instead of in the server's own
    process, where that work holds Python's interpreter lock (0.5-3 s for a Run near GRADWALK_MAX_RESULT_BYTES) and
    every other request waits; smaller Runs are worked on in place, where that costs less than sending them. The
    same size of Graphviz's layout of a picture has its gradients' labels placed apart too."""
    apart_processes: int = Field(0, ge=0, le=256)
    """Processes the server works on big Runs in at once (see GRADWALK_APART_MIN_BYTES), a count: 0 means one per CPU
    core; more wait their turn."""
    apart_timeout_s: float = Field(60.0, gt=0, le=3600)
    """Longest a process apart may work on one Run (see GRADWALK_APART_MIN_BYTES), in seconds of wall time (and as
    many of CPU time, plus one); past it the request gets 503 and the process ends."""
    worker_max_runs: int = Field(500, ge=1, le=1_000_000)
    """Runs after which a worker is replaced by a fresh one."""
    worker_start_timeout_s: float = Field(120.0, gt=0, le=3600)
    """Longest a worker may take to start (import torch), in seconds."""
    max_queued_runs: int = Field(32, ge=0, le=100_000)
    """Runs that may wait for a free worker; past it callers are told at once that the server is overloaded."""
    sandbox_uid: int = Field(61_000, ge=1000, le=4_000_000_000)
    """Where the host uids the jailed workers run as start, one per worker: the first block from here on that no
    process of the host runs as and no other gradwalk pool on the host holds; each uid (and the same gid) must belong
    to nobody else."""
    # -- storage and files -----------------------------------------------------------------------------------------
    data_dir: Path = Field(Path("data"))
    """Directory for the SQLite database (created if missing)."""
    static_dir: Path | None = Field(None)
    """Directory of the files the web pages use (`make install` puts the front-end libraries from npm in its
    `vendor/`); empty means the `static/` folder beside the `app` package. The page templates are read from
    `templates/` beside it."""
    database_url: str = Field("")
    """Database for runs: empty means SQLite under the data dir; a `postgresql://` URL lets several replicas share one
    database."""
    database_retry_s: float = Field(30, ge=0, le=3600)
    """Seconds a request keeps trying a database that does not answer (PostgreSQL restarting, or moving to another
    address) before it is answered 503 with Retry-After. A PostgreSQL URL's own `connect_timeout` (seconds) and
    `tcp_user_timeout` (milliseconds) bound each try; without them 5 s each."""
    keep_runs: int = Field(100_000, ge=1, le=1_000_000_000)
    """Runs kept in storage; older ones are deleted past it."""
    keep_days: float = Field(0, ge=0, le=36_500)
    """Days a run is kept; 0 keeps runs whatever their age."""
    run_cache_mb: int = Field(64, ge=0, le=100_000)
    """Memory for the most recently used runs, in MiB, so reads skip the database; a quarter more for the folded
    views asked for last, so a view's JSON and its two graphs' DOT are folded once."""
    max_request_bytes: int = Field(262_144, ge=1024, le=67_108_864)
    """Largest request body the API accepts, in bytes (413)."""
    # -- what one client may hold, what a request may take, what storage may keep ------------------------------
    rate_limit_runs_per_min: int = Field(60, ge=0, le=1_000_000)
    """New runs one client (an IPv4 address, or an IPv6 /64) may start per minute; past it 429 with Retry-After; 0: no
    limit. Asking for a stored run does not count."""
    rate_limit_stored_mb_per_hour: int = Field(128, ge=0, le=100_000_000)
    """Storage one client's runs may take in an hour, compressed, in MiB, and never more than an eighth of
    `GRADWALK_KEEP_MB`; past it its next run gets 429 with Retry-After until the hour has moved on; 0: no limit.
    Storage deletes the oldest runs first, whoever made them: this keeps one client from pushing everyone's runs
    out faster than that. A run counts at least its part of `GRADWALK_KEEP_RUNS` (`GRADWALK_KEEP_MB` /
    `GRADWALK_KEEP_RUNS`, 10.7 KB by default), so that its runs cannot take more than an eighth of that count an hour
    either."""
    rate_limit_read_mb_per_min: int = Field(512, ge=0, le=100_000_000)
    """Stored runs and pictures one client's requests may read per minute (a run's JSON, a view made from it, a kept
    picture, the one-file run, a run's page), in MiB, as served; past it 429 with Retry-After until enough of the
    minute has passed; 0: no limit. A stored run can be tens of MB to read and send."""
    rate_limit_page_s_per_min: float = Field(5.0, ge=0, le=3600)
    """Seconds of the server's own time that making one client's run pages may take per minute (the view the page
    opens with, its JSON written into the page, the page itself), counted on the threads that make them, a tenth of
    it at once, then paced; past it 429 with Retry-After; 0: no limit. A page of a run of a few thousand nodes takes
    about 35 ms of the server's interpreter; one client asking for it from 8 connections kept every other request
    waiting 7 to 20 times longer."""
    rate_limit_run_server_cpu_s: float = Field(0.1, ge=0, le=3600)
    """Seconds of the server's own CPU time on a run's result (receiving, checking and storing it) that count as one
    more run against `GRADWALK_RATE_LIMIT_RUNS_PER_MIN`, so the limit bounds the server's time for a client too; 0: not
    counted."""
    max_client_concurrent_runs: int = Field(2, ge=0, le=100_000)
    """Runs one client may have going at once (running or waiting for a worker); past it 429 with Retry-After, so that
    one client cannot take every worker and make everyone else wait; 0: no limit."""
    workers_kept_for_others: int = Field(1, ge=0, le=256)
    """Workers one client's runs leave to everyone else: a client has at most the workers less this many runs running
    at once (never fewer than one); its other runs going wait for its own to end; 0: none kept. With two workers (a
    2-core host's default) and two runs a client, one client flooding slow runs held both, and every other person's
    run waited for one of them to end, up to `GRADWALK_RUN_TIMEOUT_S`, run after run."""
    max_client_drawings: int = Field(1, ge=1, le=1_000)
    """Views and pictures (a folded view, a graph's DOT, SVG or PNG) one client may have the server make at once;
    past it a request waits for one of the client's own to end (as many waiting at most, each for up to
    `GRADWALK_RENDER_TIMEOUT_S`), then 429 with Retry-After. The server makes at most one per CPU core at once,
    whoever asks."""
    rate_limit_draw_s_per_min: float = Field(20.0, ge=0, le=3600)
    """Seconds one client may have the server making its views and pictures (folding, DOT, Graphviz) per minute;
    past it 429 with Retry-After until enough of the minute has passed; 0: no limit. A drawing that Graphviz gives up
    on counts for all the time it took."""
    max_client_answers: int = Field(4, ge=1, le=1_000)
    """Answers about runs (a run's JSON, a view, a picture, the one-file run, a run's page) one client may have
    under way at once, from reading the run until the connection has taken the answer; past it 429 with
    Retry-After. A stored run can be tens of MB, held in memory until it is sent."""
    max_answers_mb: int = Field(512, ge=0, le=1_000_000)
    """Memory the big runs read from storage and the answers about runs of 1 MiB or more under way may hold at once
    over all clients, in MiB of their bytes; a run is counted before it is read (twice its size while it is
    unpacked), a body many answers send at once counts once; past it 503 with Retry-After, nothing read (one alone is
    always let through); 0: no limit. GRADWALK_MAX_CLIENT_ANSWERS bounds one client's, and clients are many: ten
    addresses with four slow readers each of a 32 MB run held 1.8 GB of the server's memory."""
    trusted_proxies: str = Field("")
    """Comma-separated addresses or networks (`10.0.0.5`, `172.16.0.0/12`) of the reverse proxies whose
    `X-Forwarded-For` names the client; empty: the header is ignored and the peer is the client."""
    max_connections: int = Field(4096, ge=16, le=1_000_000)
    """Open HTTP connections the server keeps at once; past it a new connection replaces the one that has waited
    longest without a request in progress, or is closed when every one is busy. Also kept under the open-file limit,
    which `gradwalk serve` raises to its maximum."""
    max_client_connections: int = Field(64, ge=1, le=1_000_000)
    """Open HTTP connections one client address (an IPv6 /64) may hold, and never half of `GRADWALK_MAX_CONNECTIONS`
    (a browser opens six); past it its new connections are closed at once. A proxy in `GRADWALK_TRUSTED_PROXIES` is
    not held to it: it carries many clients."""
    max_header_bytes: int = Field(65_536, ge=1024, le=16_777_216)
    """Most bytes of a request's headers, names and values, the server reads; past it 431 and the connection is
    closed (millions of tiny headers took gigabytes of the server's memory)."""
    max_pipelined_requests: int = Field(16, ge=1, le=10_000)
    """Requests one connection may send ahead of the server's answers (HTTP/1.1 pipelining) that the server holds
    for later; past it the connection is closed (a client that sends requests and reads no answer queued a million
    of them, 2 GiB, in 18 seconds)."""
    rate_limit_connection_requests_per_s: float = Field(20.0, ge=0, le=1_000_000)
    """Requests one connection may start a second, and three seconds' worth at once (a page and its 30 files); each 4
    KiB a request sends (its line, headers and body) counts as one request more; a request past it is not refused but
    waits for its turn before it is routed, and nothing more is read from its connection meanwhile, and one whose turn
    is further off than GRADWALK_REQUEST_TIMEOUT_S has its connection closed; 0: no limit. A proxy in
    `GRADWALK_TRUSTED_PROXIES` is not held to it (its requests count for the clients they are forwarded for)."""
    rate_limit_client_requests_per_s: float = Field(200.0, ge=0, le=1_000_000)
    """Requests one client address (an IPv6 /64) may start a second over all its connections, and three seconds' worth
    at once (a classroom of twenty behind one address loading the page together), each 4 KiB a request sends counting
    as one request more; past it its requests wait for their turn as
    above, whichever connection they come on or open; 0: no limit. Behind a proxy in `GRADWALK_TRUSTED_PROXIES`, a
    request counts for the client it is forwarded for."""
    log_repeats_per_min: int = Field(10, ge=1, le=1_000_000)
    """Times a minute the server logs one kind of line (one message, whatever its values); the rest are counted, and
    the first line of that kind after the minute says how many were left out (a line a client can cause with each
    request filled the disk at 3 GB an hour)."""
    request_timeout_s: float = Field(15.0, gt=0, le=3600)
    """Longest a client may take to send a request's headers (from connecting or from the end of the previous answer),
    in seconds, and again its body, and longest it may leave an answer unread: a slower connection is closed (408
    for a body)."""
    keep_mb: int = Field(1024, ge=1, le=100_000_000)
    """Most storage that runs and their cached pictures may take, compressed, in MiB; the oldest runs are deleted past
    it (in the background, keeping a tenth of it free for new runs)."""
    # -- drawing ---------------------------------------------------------------------------------------------------
    render_max_nodes: int = Field(3000, ge=1, le=1_000_000)
    """Most nodes a graph may have to be drawn as SVG or PNG on the server; larger ones are offered as DOT and JSON
    only."""
    render_max_edges: int = Field(4000, ge=1, le=10_000_000)
    """Most edges a graph may have to be laid out by Graphviz (as SVG or PNG on the server, and on the web page): this
    many, or twice its nodes when that is more; denser ones are offered as DOT and JSON only. Graphviz's time grows
    with the crossings of a dense graph: 452 nodes joined by 22,801 edges took it more than 10 s."""
    render_timeout_s: float = Field(10.0, gt=0, le=600)
    """Longest Graphviz may take to draw one SVG or PNG, in seconds; then it is killed."""
    render_memory_mb: int = Field(512, ge=64, le=1_000_000)
    """Memory (address space) Graphviz may use to draw one SVG or PNG, in MiB; a graph that needs more is refused
    (413)."""
    page_fold_nodes: int = Field(1000, ge=1, le=1_000_000)
    """Graphs with more nodes than this open folded in the web page (repeated blocks and modules as one node each,
    opened with a click)."""
    page_draw_max_nodes: int = Field(4000, ge=1, le=1_000_000)
    """Most nodes the web page lays out in one graph; past it (even folded) the page offers the graph's DOT and JSON
    instead."""
    page_layout_timeout_s: float = Field(30.0, gt=0, le=3600)
    """Longest the web page lets Graphviz (in the reader's browser) lay out one graph, in seconds; then it stops and
    says the graph took too long (a notebook's or one-file run's viewer allows 30 s)."""
    notebook_output_max_bytes: int = Field(1_048_576, ge=65_536, le=1_073_741_824)
    """Most bytes one notebook output of gradwalk (a `%%gradwalk` cell's graphs, a Run shown) should take in the saved
    notebook, its pictures counted: past it, its graphs open folded to half as many nodes, again while that makes them
    smaller (unless the cell says `--fold N`), and folded groups' views are made ahead only within it (a 40-layer
    MLP's cell took 2.2 MB). The viewer, loaded once per notebook, is not counted."""
    page_inline_max_bytes: int = Field(4_194_304, ge=65_536, le=1_073_741_824)
    """Most bytes of a run's JSON, as the page opens it (folded), that its page or its one-file run carries inline; a
    larger run's page reads the JSON from the API instead, and its one-file run is refused (413). Written into a
    document, each `<`, `>` and `&` of the JSON takes six bytes."""
    label_whole_elements: int = Field(9, ge=1, le=64)
    """Tensors with at most this many values (9: a 3×3 matrix) are written out whole on the graphs' labels, on the page
    and in SVG and PNG pictures, never shortened with "…"; larger ones are shortened to fit."""
    allow_remote_unsandboxed: bool = Field(False)
    """`gradwalk serve` refuses a non-loopback `--host` with GRADWALK_SANDBOX=off (whoever reaches it could read this
    machine's files); 1 allows it, for a container whose port is published on loopback only."""
    allowed_hosts: str = Field("")
    """Comma-separated host names (`gradwalk.example.org`) the server answers for, by the Host header of a request; any
    other gets 400. Empty: with GRADWALK_SANDBOX=off only loopback names (`localhost`, `*.localhost`, `127.0.0.1`,
    `[::1]`), with the sandbox on any name. A server on loopback alone is reached by every web page its user opens,
    through DNS rebinding (a name of the page's own that answers 127.0.0.1): that page's snippets, run without the
    jail, would read this machine's files and send them back to it."""

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for item in value.split(","):
            if item.strip():
                try:
                    ipaddress.ip_network(item.strip(), strict=False)
                except ValueError:
                    raise ValueError(f"{item.strip()!r} is not an IP address or network") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Settings":
        """Limits that contradict each other: the message names both variables."""
        problems = [
            f"{_variable(low)} ({getattr(self, low)}) is above {_variable(high)} ({getattr(self, high)}): {why}"
            for low, high, why in CONSISTENT
            if getattr(self, low) > getattr(self, high)
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

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
            raise SettingsError("; ".join(map(_problem, exc.errors()))) from None

    def check_host(self, host: str) -> None:
        """SettingsError unless serving on `host` is safe with these settings: without the jail only on loopback
        (or with GRADWALK_ALLOW_REMOTE_UNSANDBOXED=1)."""
        if self.sandbox == "on" or self.allow_remote_unsandboxed or _loopback(host):
            return
        raise SettingsError(
            f"GRADWALK_SANDBOX=off with --host {host}: anyone who reaches that address could run code that reads "
            "this machine's files. Serve on 127.0.0.1, turn the sandbox on, or set GRADWALK_ALLOW_REMOTE_UNSANDBOXED=1 "
            "if only you can reach it (a container port published on loopback)"
        )

    def static_path(self) -> Path:
        return self.static_dir or Path(__file__).resolve().parents[1] / "static"

    def templates_path(self) -> Path:
        return self.static_path().parent / "templates"

    def allowed_host_names(self) -> frozenset[str]:
        """GRADWALK_ALLOWED_HOSTS as lowercase names, without a trailing dot."""
        return frozenset(item.strip().lower().rstrip(".") for item in self.allowed_hosts.split(",") if item.strip())

    def trusted_proxy_networks(self) -> tuple[str, ...]:
        """GRADWALK_TRUSTED_PROXIES as a tuple of addresses and networks."""
        return tuple(item.strip() for item in self.trusted_proxies.split(",") if item.strip())

    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1

    def client_running_runs(self) -> int:
        """Runs one client may have running at once, each in a worker (0: no limit): never so many that fewer than
        `GRADWALK_WORKERS_KEPT_FOR_OTHERS` workers stay for other clients (but one run)."""
        if not self.workers_kept_for_others:
            return 0
        return max(1, self.worker_count() - self.workers_kept_for_others)

    def apart_count(self) -> int:
        return self.apart_processes or os.cpu_count() or 1

    def capture_limits(self) -> dict[str, Any]:
        """The limits the capture engine takes, as keyword arguments."""
        return {
            "max_nodes": self.max_nodes,
            "max_elements": self.max_elements,
            "max_output_bytes": self.max_output_bytes,
            "explain_max_nodes": self.explain_max_nodes,
            "keep_values_mb": self.keep_values_mb,
            "record_cpu_s": min(self.record_cpu_s, self.run_cpu_s / 2),  # (the other half draws and sends)
            "max_recorded_passes": self.max_recorded_passes,
        }


# (a setting, one it may not be above, why)
CONSISTENT = [
    ("page_fold_nodes", "page_draw_max_nodes", "the page would open graphs folded to more nodes than it lays out"),
    (
        "page_fold_nodes",
        "render_max_nodes",
        "the server could not draw the folded views the page offers as SVG and PNG",
    ),
    ("max_source_bytes", "max_request_bytes", "a snippet that size could never arrive in a request"),
]


def _problem(error: Any) -> str:
    """One validation error as a line that names its variable (a problem between settings names its own)."""
    if not error["loc"]:
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{_variable(str(error['loc'][0]))}: {error['msg']}"


def _variable(name: str) -> str:
    return ENV_PREFIX + name.upper()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
