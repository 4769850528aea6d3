"""Saves and loads runs (and their rendered pictures) with SQLAlchemy: SQLite in WAL mode by default,
PostgreSQL for several replicas sharing one database. Knows nothing of HTTP.

A run is stored as its Run JSON, compressed, exactly as the API serves it: reading a run back costs one
query and one decompression, never a re-validation.
"""

import threading
import time
import zlib
from collections import OrderedDict
from pathlib import Path

from sqlalchemy import Column, Float, LargeBinary, MetaData, String, Table, create_engine, delete, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

metadata = MetaData()
runs = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", Float, nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("body", LargeBinary, nullable=False),  # zlib-compressed Run JSON
)
renders = Table(
    "renders",
    metadata,
    Column("run_id", String(32), primary_key=True),
    Column("name", String(32), primary_key=True),  # e.g. "backward.svg"
    Column("body", LargeBinary, nullable=False),
)


def database_url(url: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL: SQLite under the data dir by default; `postgresql://` goes through psycopg 3."""
    if not url:
        return f"sqlite:///{data_dir / 'gradwalk.db'}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Store:
    """Runs and pictures in a database, with the most recently used runs also kept in memory (`cache_mb`)."""

    def __init__(self, url: str, cache_mb: int = 64):
        self.cache_bytes = cache_mb * 1024 * 1024
        self.cache: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self.cached = 0
        self.lock = threading.Lock()
        # A server's connections go stale when it restarts; a SQLite file's do not, so they skip the ping.
        self.engine: Engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            metadata.create_all(self.engine)
        except DBAPIError:  # replicas starting together on an empty database: one of them made the tables
            metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def save_run(self, run_id: str, status: str, body: bytes) -> None:
        """Store (or replace) a run's JSON."""
        row = {"id": run_id, "created_at": time.time(), "status": status, "body": zlib.compress(body, 1)}
        try:
            with self.engine.begin() as connection:  # a new run: one statement
                connection.execute(runs.insert().values(**row))
        except IntegrityError:  # a run again (after a timeout), or another request or replica stored it just now
            with self.engine.begin() as connection:
                connection.execute(delete(renders).where(renders.c.run_id == run_id))
                connection.execute(update(runs).where(runs.c.id == run_id).values(**row))
        self._remember(run_id, status, body)

    def recent(self, run_id: str) -> tuple[str, bytes] | None:
        """A run's status and JSON if it is in memory (no database query), else None."""
        with self.lock:
            hit = self.cache.get(run_id)
            if hit is not None:
                self.cache.move_to_end(run_id)
            return hit

    def load(self, run_id: str) -> tuple[str, bytes] | None:
        """A run's status and JSON, or None."""
        hit = self.recent(run_id)
        if hit is not None:
            return hit
        with self.engine.connect() as connection:
            row = connection.execute(select(runs.c.status, runs.c.body).where(runs.c.id == run_id)).first()
        if row is None:
            return None
        body = zlib.decompress(row.body)
        self._remember(run_id, row.status, body)
        return row.status, body

    def load_run(self, run_id: str) -> bytes | None:
        """A run's JSON, or None."""
        found = self.load(run_id)
        return None if found is None else found[1]

    def _remember(self, run_id: str, status: str, body: bytes) -> None:
        with self.lock:
            old = self.cache.pop(run_id, None)
            self.cached -= len(old[1]) if old else 0
            if len(body) > self.cache_bytes // 4:
                return
            self.cache[run_id] = (status, body)
            self.cached += len(body)
            while self.cached > self.cache_bytes:
                _, (_, dropped) = self.cache.popitem(last=False)
                self.cached -= len(dropped)

    def _forget(self, ids) -> None:
        with self.lock:
            for run_id in ids:
                old = self.cache.pop(run_id, None)
                self.cached -= len(old[1]) if old else 0

    def load_render(self, run_id: str, name: str) -> bytes | None:
        with self.engine.connect() as connection:
            body = connection.execute(
                select(renders.c.body).where(renders.c.run_id == run_id, renders.c.name == name)
            ).scalar()
        return None if body is None else zlib.decompress(body)

    def save_render(self, run_id: str, name: str, body: bytes) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(renders.insert().values(run_id=run_id, name=name, body=zlib.compress(body, 1)))
        except IntegrityError:
            pass  # another request (or replica) drew it first: same picture

    def prune(self, keep_runs: int, keep_days: float) -> int:
        """Delete runs past the newest `keep_runs`, and runs older than `keep_days` (0: no age limit)."""
        with self.engine.begin() as connection:
            newest = select(runs.c.id).order_by(runs.c.created_at.desc()).limit(keep_runs)
            doomed = runs.c.id.not_in(newest)
            if keep_days > 0:
                doomed = doomed | (runs.c.created_at < time.time() - keep_days * 86400)
            ids = [row[0] for row in connection.execute(select(runs.c.id).where(doomed))]
            if ids:
                connection.execute(delete(renders).where(renders.c.run_id.in_(ids)))
                connection.execute(delete(runs).where(runs.c.id.in_(ids)))
        self._forget(ids)
        return len(ids)


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a killed writer loses nothing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
