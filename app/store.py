"""Saves and loads runs (and their rendered pictures) with SQLAlchemy: SQLite in WAL mode by default,
PostgreSQL for several replicas sharing one database. Knows nothing of HTTP.

A run is stored as its Run JSON, compressed, exactly as the API serves it: reading a run back costs one
query and one decompression, never a re-validation. Each row records its compressed size, so that a byte
budget (GRADWALK_KEEP_MB) can be kept with one query; a `Pruner` thread keeps the budgets, off the requests.
It records the size of its JSON and a digest of its code too: what a page needs to know of a run, and whose run an
id holds, are read without reading the run; and a run too big to keep in memory is counted in the server's
`HeldBytes` before it is read, not after.
"""

import hashlib
import logging
import sqlite3
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    case,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.sql import ColumnElement, Select

from .graph import stored_code
from .limits import HeldBytes

log = logging.getLogger("gradwalk")

metadata = MetaData()
runs = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", Float, nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("body", LargeBinary, nullable=False),  # zlib-compressed Run JSON
    Column("size", Integer, nullable=False, server_default="0"),  # bytes of `body`
    Column("json_size", Integer, nullable=False, server_default="0"),  # bytes of the Run JSON (0: not recorded)
    Column("code_sha", String(64), nullable=False, server_default=""),  # code_sha() of its code ("": not recorded)
)
renders = Table(
    "renders",
    metadata,
    Column("run_id", String(32), primary_key=True),
    Column("name", String(32), primary_key=True),  # e.g. "backward.svg"
    Column("body", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False, server_default="0"),  # bytes of `body`
    Column("raw_size", Integer, nullable=False, server_default="0"),  # bytes of the picture (0: not recorded)
)
# What a row costs the byte budget beyond its compressed body: its key, index entries and header (ROW_BYTES),
# and, for a body past one page, the page its end half fills on average (counted whole: PAGE_BYTES).
ROW_BYTES = 256
PAGE_BYTES = 4096
DELETE_BATCH = 500
BIG_BYTES = 1 << 20  # a body unpacked from a row at least this big is counted in `HeldBytes` from before it is read
# A PostgreSQL URL without its own: how long a connection may take to open, and data sent may go unanswered
# (a server gone without a word), before the attempt fails and is tried again (`Store.patiently`).
PG_CONNECT_TIMEOUT_S = 5
PG_TCP_USER_TIMEOUT_MS = 5000
T = TypeVar("T")
AWAY = (OperationalError, InterfaceError, PoolTimeout)  # what a database that does not answer raises


# Columns added since the tables were first made: databases made before get them at start (`Store._add_columns`),
# filled from the bodies where SQL can (the other rows' stay "not recorded": the run is read when they are needed).
ADDED = [
    (runs, "size", "INTEGER NOT NULL DEFAULT 0", func.length(runs.c.body)),
    (renders, "size", "INTEGER NOT NULL DEFAULT 0", func.length(renders.c.body)),
    (runs, "json_size", "INTEGER NOT NULL DEFAULT 0", None),
    (runs, "code_sha", "VARCHAR(64) NOT NULL DEFAULT ''", None),
    (renders, "raw_size", "INTEGER NOT NULL DEFAULT 0", None),
]


class DatabaseAway(Exception):
    """The database did not answer for GRADWALK_DATABASE_RETRY_S (restarting, moving, unreachable): 503."""

    retry_after_s = 5


class StorageFull(Exception):
    """The database's disk is full (507 at once): nothing can be stored until the administrator makes room, so trying
    again for GRADWALK_DATABASE_RETRY_S only held the request, and the client's runs going, 30 s for a 503 that said
    the database may be restarting."""

    retry_after_s = 60


def disk_full(exc: Exception) -> bool:
    """Whether a database error says its disk (or the database's own size limit) is full: SQLite's SQLITE_FULL,
    PostgreSQL's disk_full (53100)."""
    cause = getattr(exc, "orig", None)
    return (
        getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or getattr(cause, "sqlstate", None) == "53100"
    )


class RowChanged(Exception):
    """A row's body unpacked to more than the size read with it: it was written again between the two reads."""


READ_TRIES = 3  # a run whose row changes under each of this many reads in a row is read as gone


class IdTaken(Exception):
    """Another snippet's run is stored under this run's id (409): ids are 71 bits of a hash, and a pair of snippets
    with one id can be searched for."""

    def __init__(self) -> None:
        super().__init__("another snippet's run has this snippet's id: change it a little (a comment)")


class Found(NamedTuple):
    """A stored run: its status, its JSON and `code_sha` of its code ("": not recorded, a run stored before)."""

    status: str
    body: bytes
    code_sha: str


class Reading:
    """A run being read for a request, and what it read, for the requests that asked for it meanwhile."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.found: Found | None = None


def code_sha(code: str) -> str:
    """The digest a run's row keeps of its code: whose run an id holds is told without reading the run."""
    return hashlib.sha256(code.encode()).hexdigest()


def other_snippets(stored: Found, code: str) -> bool:
    """Whether a stored run is another snippet's than `code`: by the digest its row keeps, or, for a run stored before
    rows kept one, by the code in its JSON (which is decoded whole). (The API's create_run and the home page ask.)"""
    if stored.code_sha:
        return stored.code_sha != code_sha(code)
    return stored_code(stored.body) not in (None, code)


def row_cost(size: int) -> int:
    """What a row whose body has `size` bytes costs the byte budget."""
    return size + ROW_BYTES + (PAGE_BYTES if size > PAGE_BYTES else 0)


def _row_cost(size: ColumnElement[int]) -> ColumnElement[int]:
    """`row_cost` in SQL, of a `size` column."""
    return size + ROW_BYTES + case((size > PAGE_BYTES, PAGE_BYTES), else_=0)


def database_url(url: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL: SQLite under the data dir by default; `postgresql://` goes through psycopg 3."""
    if not url:
        return f"sqlite:///{data_dir / 'gradwalk.db'}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Store:
    """Runs and pictures in a database, with the most recently used runs also kept in memory (`cache_mb`)."""

    def __init__(self, url: str, cache_mb: int = 64, retry_s: float = 30, held: HeldBytes | None = None):
        self.cache_bytes = cache_mb * 1024 * 1024
        self.held = held or HeldBytes(0)  # the big runs read and not let go of, over all requests
        self.cache: OrderedDict[str, Found] = OrderedDict()
        self.cached = 0
        self.lock = threading.Lock()
        self.reading: dict[str, Reading] = {}  # run id -> its read under way
        self.retry_s = retry_s
        # A server's connections go stale when it restarts; a SQLite file's do not, so they skip the ping.
        self.engine: Engine = create_engine(
            url, pool_pre_ping=not url.startswith("sqlite"), connect_args=_connect_args(url)
        )
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            self.patiently(metadata.create_all, self.engine)
        except DBAPIError:  # replicas starting together on an empty database: one of them made the tables
            metadata.create_all(self.engine)
        self._add_columns()
        self.on_write: Callable[[int], None] | None = None  # called with each row's bytes (the Pruner listens)

    def _add_columns(self) -> None:
        """Databases made before rows recorded their size (their JSON's size, their code's digest) get the columns."""
        for table, column, kind, fill in ADDED:
            if column in {c["name"] for c in inspect(self.engine).get_columns(table.name)}:
                continue
            try:
                with self.engine.begin() as connection:
                    connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column} {kind}"))
                    if fill is not None:
                        connection.execute(update(table).values({column: fill}))
            except DBAPIError:  # another replica added it just now
                if column not in {c["name"] for c in inspect(self.engine).get_columns(table.name)}:
                    raise
            log.info("storage: the %s table now records each row's %s", table.name, column)

    def close(self) -> None:
        self.engine.dispose()

    def patiently(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)`, tried again while the database does not answer (a PostgreSQL restarting or moving to
        another address: the pool's stale connections are dropped and new ones opened), for at most `retry_s`;
        then DatabaseAway (StorageFull at once when the database says its disk is full). A transaction cut off is
        rolled back by the database, so trying it again is safe."""
        deadline = time.monotonic() + self.retry_s
        pause = 0.1
        while True:
            try:
                return work(*args)
            except AWAY as exc:
                if disk_full(exc):
                    log.error("storage: the database's disk is full: %s", exc)
                    raise StorageFull(
                        "the server's storage is full: nothing can be stored until its administrator makes room"
                    ) from exc
                if time.monotonic() + pause > deadline:
                    log.error("storage: the database did not answer for %g s: %s", self.retry_s, exc)
                    raise DatabaseAway(
                        f"the database did not answer for {self.retry_s:g} s (GRADWALK_DATABASE_RETRY_S): it may be "
                        "restarting; try again in a moment"
                    ) from exc
                log.warning("storage: the database did not answer, trying again in %.1f s: %s", pause, exc)
                # every pooled connection went stale with it: all are dropped at once (else each is pinged in turn,
                # PG_TCP_USER_TIMEOUT_MS apiece, and a pool of five outlasted GRADWALK_DATABASE_RETRY_S)
                self.engine.dispose()
                time.sleep(pause)
                pause = min(2 * pause, 2.0)

    def save_run(self, run_id: str, status: str, body: bytes, code: str | None = None) -> int:
        """Store a run's JSON, or replace the run of the same `code` (IdTaken when another snippet's run is stored
        under `run_id`; DatabaseAway if it cannot be stored: nothing is kept, the run is made again when it is asked
        for again); what it costs the byte budget."""
        packed = zlib.compress(body, 1)
        sha = "" if code is None else code_sha(code)
        row = {"id": run_id, "created_at": time.time(), "status": status, "body": packed, "size": len(packed)}
        row.update(json_size=len(body), code_sha=sha)
        self.patiently(self._write_run, run_id, row)
        self._remember(run_id, Found(status, body, sha))
        self._written(len(packed))
        return row_cost(len(packed))

    def _write_run(self, run_id: str, row: dict[str, Any]) -> None:
        try:
            with self.engine.begin() as connection:  # a new run: one statement
                connection.execute(runs.insert().values(**row))
        except IntegrityError:  # a run again (after a timeout), or another request or replica stored it just now
            with self.engine.begin() as connection:
                # only a run of the same code (or one whose code was not recorded) is replaced: two snippets with one
                # id that end at once would have the second replace the first's run, checked before either was stored
                mine = runs.c.code_sha.in_([row["code_sha"], ""])
                if not connection.execute(update(runs).where(runs.c.id == run_id, mine).values(**row)).rowcount:
                    raise IdTaken() from None
                connection.execute(delete(renders).where(renders.c.run_id == run_id))

    def recent(self, run_id: str) -> Found | None:
        """A run if it is in memory (no database query), else None."""
        with self.lock:
            hit = self.cache.get(run_id)
            if hit is not None:
                self.cache.move_to_end(run_id)
            return hit

    def load(self, run_id: str) -> Found | None:
        """A run, or None. Requests for a run while it is read wait for that read and share what it read: forty
        requests at once for a 34 MB run read it forty times over, each holding its own copy."""
        hit = self.recent(run_id)
        if hit is not None:
            return hit
        with self.lock:
            other = self.reading.get(run_id)
            reading = self.reading[run_id] = other or Reading()
        if other is not None:
            other.done.wait(self.retry_s)
            return other.found or self.recent(run_id) or self._load(run_id)  # (not there when it failed: read it)
        try:
            reading.found = self._load(run_id)
            return reading.found
        finally:
            with self.lock:
                del self.reading[run_id]
            reading.done.set()

    def _load(self, run_id: str, tries: int = READ_TRIES) -> Found | None:
        head = select(runs.c.status, runs.c.code_sha, runs.c.json_size).where(runs.c.id == run_id)
        row = self.patiently(self._read, head)
        if row is None:
            return None
        kept = row.json_size <= self.cache_bytes // 4  # (then read once, by the first request: `load`)
        try:
            body = self._unpacked(
                partial(self.patiently, self._read, select(runs.c.body).where(runs.c.id == run_id)),
                row.json_size,
                counted=not kept,
            )
        except RowChanged:  # (it ran again meanwhile: read as it is now)
            return self._load(run_id, tries - 1) if tries > 1 else None
        if body is None:  # (deleted just now)
            return None
        found = Found(row.status, body, row.code_sha)
        self._remember(run_id, found)
        return found

    def load_run(self, run_id: str) -> bytes | None:
        """A run's JSON, or None."""
        found = self.load(run_id)
        return None if found is None else found.body

    def json_size(self, run_id: str) -> int | None:
        """The bytes of a run's JSON, read without the run (0: not recorded, a run stored before); None: no such run."""
        hit = self.recent(run_id)
        if hit is not None:
            return len(hit.body)
        row = self.patiently(self._read, select(runs.c.json_size).where(runs.c.id == run_id))
        return None if row is None else int(row.json_size)

    def _remember(self, run_id: str, found: Found) -> None:
        with self.lock:
            old = self.cache.pop(run_id, None)
            self.cached -= len(old.body) if old else 0
            if len(found.body) > self.cache_bytes // 4:
                return
            self.cache[run_id] = found
            self.cached += len(found.body)
            while self.cached > self.cache_bytes:
                _, dropped = self.cache.popitem(last=False)
                self.cached -= len(dropped.body)

    def _forget(self, ids: list[str]) -> None:
        with self.lock:
            for run_id in ids:
                old = self.cache.pop(run_id, None)
                self.cached -= len(old.body) if old else 0

    def _read(self, query: Select[Any]) -> Any:
        """The query's first row, or None."""
        with self.engine.connect() as connection:
            return connection.execute(query).first()

    def load_render(self, run_id: str, name: str) -> bytes | None:
        """A picture kept earlier, or None: tried once (with the database away, it is drawn again)."""
        kept = (renders.c.run_id == run_id) & (renders.c.name == name)
        try:
            row = self._read(select(renders.c.raw_size).where(kept))
            if row is None:
                return None
            return self._unpacked(partial(self._read, select(renders.c.body).where(kept)), row.raw_size)
        except RowChanged:  # (its run ran again meanwhile: drawn again)
            return None
        except AWAY as exc:
            log.warning(
                "storage: a kept picture of run %s could not be read, the database did not answer: %s", run_id, exc
            )
            return None

    def _unpacked(self, read: Callable[[], Any], size: int, counted: bool = True) -> bytes | None:
        """The body of the row `read()` reads (None: no such row), unpacked: `size` bytes (0: not recorded). A big one
        is `counted` in `held` from before it is read until no one holds it (ServerFull past its budget, before
        reading: forty requests for a 34 MB run held 1.6 GB, each read, then found past the budget). What it gives
        is never more than `size`: a row written again between reading its size and its body (a run that ran again)
        raises RowChanged, its new body let go of at once (a run stored small, then big, was read as small: not
        counted)."""

        def body() -> bytes | None:
            row = read()
            if row is None:
                return None
            # (its size known, the buffer is made once: a 29 MB run took 44 ms to unpack growing it, 16 ms so)
            data = zlib.decompress(row.body, bufsize=size or zlib.DEF_BUF_SIZE)
            if size and len(data) > size:
                raise RowChanged()
            return data

        return self.held.read(size, body) if counted and size >= BIG_BYTES else body()

    def save_render(self, run_id: str, name: str, body: bytes) -> int:
        """Keep a picture for the next request: tried once (with the database away, the picture drawn is still
        served, and drawn again next time). What its row costs the byte budget (row_cost), 0 if not kept."""
        packed = zlib.compress(body, 1)
        try:
            with self.engine.begin() as connection:
                row = {"run_id": run_id, "name": name, "body": packed, "size": len(packed), "raw_size": len(body)}
                connection.execute(renders.insert().values(**row))
        except IntegrityError:
            return 0  # another request (or replica) drew it first: same picture
        except AWAY as exc:
            log.warning("storage: a picture of run %s was not kept, the database did not answer: %s", run_id, exc)
            return 0
        self._written(len(packed))
        return row_cost(len(packed))

    def _written(self, size: int) -> None:
        if self.on_write is not None:
            self.on_write(row_cost(size))

    def stored_bytes(self) -> int:
        """What runs and pictures take as the byte budget counts them (`row_cost` of each row)."""
        with self.engine.connect() as connection:
            return sum(
                int(connection.execute(select(func.coalesce(func.sum(_row_cost(table.c.size)), 0))).scalar() or 0)
                for table in (runs, renders)
            )

    def prune(self, keep_runs: int, keep_days: float, keep_bytes: int | None = None) -> int:
        """Delete runs past the newest `keep_runs`, runs older than `keep_days` (0: no age limit), and the oldest
        runs while runs and pictures take more than `keep_bytes` (None: no byte limit). A run goes with its
        pictures; pictures left by a run deleted while they were drawn go too. Returns the runs deleted."""
        cutoff = time.time() - keep_days * 86400 if keep_days > 0 else None
        with self.engine.connect() as connection:
            count, oldest = connection.execute(select(func.count(), func.min(runs.c.created_at))).one()
            over = count > keep_runs or (cutoff is not None and oldest is not None and oldest < cutoff)
            if not over and keep_bytes is not None:
                over = self.stored_bytes() > keep_bytes
            doomed = connection.execute(self._doomed(keep_runs, cutoff, keep_bytes)) if over else ()
            ids: list[str] = [str(row[0]) for row in doomed]
        for start in range(0, len(ids), DELETE_BATCH):
            batch = ids[start : start + DELETE_BATCH]
            with self.engine.begin() as connection:
                connection.execute(delete(renders).where(renders.c.run_id.in_(batch)))
                connection.execute(delete(runs).where(runs.c.id.in_(batch)))
        with self.engine.begin() as connection:
            connection.execute(delete(renders).where(renders.c.run_id.not_in(select(runs.c.id))))
        self._forget(ids)
        if ids and self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:  # hand the freed pages back to the file's next writes
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return len(ids)

    @staticmethod
    def _doomed(keep_runs: int, cutoff: float | None, keep_bytes: int | None) -> Select[Any]:
        """The ids of the runs to delete: newest first, each run's bytes with its pictures' added up."""
        pictures = (
            select(renders.c.run_id, func.sum(_row_cost(renders.c.size)).label("size"))
            .group_by(renders.c.run_id)
            .subquery()
        )
        newest_first = (runs.c.created_at.desc(), runs.c.id.desc())
        row_bytes = _row_cost(runs.c.size) + func.coalesce(pictures.c.size, 0)
        ranked = (
            select(
                runs.c.id,
                runs.c.created_at,
                func.row_number().over(order_by=newest_first).label("rank"),
                func.sum(row_bytes).over(order_by=newest_first, rows=(None, 0)).label("upto"),
            )
            .select_from(runs.outerjoin(pictures, pictures.c.run_id == runs.c.id))
            .subquery()
        )
        doomed = ranked.c.rank > keep_runs
        if cutoff is not None:
            doomed = doomed | (ranked.c.created_at < cutoff)
        if keep_bytes is not None:
            doomed = doomed | (ranked.c.upto > keep_bytes)
        return select(ranked.c.id).where(doomed)


class Pruner:
    """Keeps the store within its budgets (GRADWALK_KEEP_RUNS, _KEEP_DAYS, _KEEP_MB) from a thread of its own:
    a pass after every 100 saves or a twentieth of the byte budget written, and every `interval_s`.

    A pass deletes the oldest runs until runs and pictures take at most nine tenths of the byte budget: that
    tenth is room for what is written while it works. A writer that finds half of it used up waits for the
    next pass (at most `wait_s`), so a flood of big runs cannot outrun the budget."""

    def __init__(self, store: Store, keep_runs: int, keep_days: float, keep_bytes: int, interval_s: float = 60):
        self.store = store
        self.keep_runs, self.keep_days = keep_runs, keep_days
        self.target = keep_bytes - keep_bytes // 10
        self.headroom = keep_bytes // 10
        self.interval_s = interval_s
        self.wait_s = 30.0
        self.cond = threading.Condition()
        self.unpruned = 0  # bytes written since the last pass began
        self.saves = 0
        self.passes = 0
        self.due = False
        self.running = False  # a pass is under way
        self.stopping = False
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.store.on_write = self.written
        self.due = True  # a first pass at start: the budgets may have changed since the last run
        self.thread = threading.Thread(target=self._loop, name="gradwalk-pruner", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        if self.thread is not None:
            self.thread.join(timeout=60)
        self.store.on_write = None

    def written(self, size: int) -> None:
        """A row of `size` bytes was written (in the writer's thread)."""
        with self.cond:
            self.unpruned += size
            self.saves += 1
            if self.saves >= 100 or self.unpruned >= self.headroom // 4:
                self.due = True
                self.cond.notify_all()
            deadline = time.monotonic() + self.wait_s
            while self.unpruned > self.headroom // 2 and not self.stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)

    def flush(self, timeout_s: float = 60) -> None:
        """Run a pass now and return once it is done."""
        with self.cond:
            goal = self.passes + (2 if self.running else 1)  # a pass under way may have missed recent writes
            self.due = True
            self.cond.notify_all()
            if not self.cond.wait_for(lambda: self.passes >= goal or self.stopping, timeout_s):
                raise TimeoutError("the pruner did not finish a pass in time")

    def _loop(self) -> None:
        while True:
            with self.cond:
                self.cond.wait_for(lambda: self.due or self.stopping, self.interval_s)
                if self.stopping:
                    return
                taken, self.due, self.saves, self.running = self.unpruned, False, 0, True
            try:
                deleted = self.store.prune(self.keep_runs, self.keep_days, self.target)
                if deleted:
                    log.info("storage: deleted the %d oldest runs past the budgets", deleted)
            except Exception:  # the database may be away for a moment; the next pass tries again
                log.exception("storage: pruning failed")
            with self.cond:
                self.unpruned = max(0, self.unpruned - taken)
                self.passes += 1
                self.running = False
                self.cond.notify_all()


def _connect_args(url: str) -> dict[str, Any]:
    """PostgreSQL's time limits when the URL sets none (libpq waits on a vanished server for minutes)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return {}
    defaults = {"connect_timeout": PG_CONNECT_TIMEOUT_S, "tcp_user_timeout": PG_TCP_USER_TIMEOUT_MS}
    return {key: value for key, value in defaults.items() if key not in parsed.query}


def _sqlite_pragmas(connection: Any, _record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a killed writer loses nothing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_size_limit=16777216")  # the WAL file shrinks back to 16 MiB after a checkpoint
    cursor.close()
