"""Saves and loads runs (and their rendered pictures) with SQLAlchemy: SQLite in WAL mode by default,
PostgreSQL for several replicas sharing one database. Knows nothing of HTTP.

A run is stored as its Run JSON, compressed, exactly as the API serves it: reading a run back costs one
query and one decompression, never a re-validation.
"""

import time
import zlib
from pathlib import Path

from sqlalchemy import Column, Float, LargeBinary, MetaData, String, Table, create_engine, delete, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

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
    def __init__(self, url: str):
        self.engine: Engine = create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def save_run(self, run_id: str, status: str, body: bytes) -> None:
        """Store (or replace) a run's JSON."""
        row = {"id": run_id, "created_at": time.time(), "status": status, "body": zlib.compress(body, 1)}
        with self.engine.begin() as connection:
            connection.execute(delete(renders).where(renders.c.run_id == run_id))
            connection.execute(delete(runs).where(runs.c.id == run_id))
            connection.execute(runs.insert().values(**row))

    def load_run(self, run_id: str) -> bytes | None:
        """A run's JSON, or None."""
        with self.engine.connect() as connection:
            body = connection.execute(select(runs.c.body).where(runs.c.id == run_id)).scalar()
        return None if body is None else zlib.decompress(body)

    def run_status(self, run_id: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(select(runs.c.status).where(runs.c.id == run_id)).scalar()

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
        deleted = 0
        with self.engine.begin() as connection:
            if keep_days > 0:
                cutoff = time.time() - keep_days * 86400
                old = select(runs.c.id).where(runs.c.created_at < cutoff)
                connection.execute(delete(renders).where(renders.c.run_id.in_(old)))
                deleted += connection.execute(delete(runs).where(runs.c.created_at < cutoff)).rowcount
            newest = select(runs.c.id).order_by(runs.c.created_at.desc()).limit(keep_runs)
            extra = select(runs.c.id).where(runs.c.id.not_in(newest))
            ids = [row[0] for row in connection.execute(extra)]
            if ids:
                connection.execute(delete(renders).where(renders.c.run_id.in_(ids)))
                deleted += connection.execute(delete(runs).where(runs.c.id.in_(ids))).rowcount
        return deleted


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a killed writer loses nothing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
