"""Storage against SQLite and against a real PostgreSQL (`make test` starts one: tests/postgres.sh)."""

import contextlib
import os
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, event, func, make_url, select, text

from app.store import (
    ROW_BYTES,
    IdTaken,
    Pruner,
    StorageFull,
    Store,
    code_sha,
    database_url,
    renders,
    row_cost,
    runs,
)

from .helpers import POSTGRES


def database_urls(tmp_path) -> dict:
    return {"sqlite": database_url("", tmp_path), "postgresql": database_url(POSTGRES, tmp_path) if POSTGRES else None}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = database_urls(tmp_path)[request.param]
    if url is None:
        pytest.skip("set GRADWALK_TEST_DATABASE_URL to a PostgreSQL URL (make test does)")
    opened = Store(url)
    with opened.engine.begin() as connection:  # a shared PostgreSQL keeps rows between test runs
        connection.execute(delete(renders))
        connection.execute(delete(runs))
    yield opened
    opened.close()


def test_a_run_reads_back_byte_for_byte(store):
    body = '{"id": "abc", "status": "ok", "stdout": "가중치"}'.encode()
    store.save_run("abc", "ok", body)
    assert store.load_run("abc") == body and store.load("abc") == ("ok", body, "")
    assert store.load_run("nope") is None and store.load("nope") is None


def test_saving_again_replaces_the_run_and_forgets_its_pictures(store):
    store.save_run("abc", "timeout", b"{}")
    store.save_render("abc", "forward.svg", b"<svg/>")
    store.save_run("abc", "ok", b'{"x": 1}')
    assert store.load_run("abc") == b'{"x": 1}' and store.load_render("abc", "forward.svg") is None


def test_a_run_is_replaced_only_by_a_run_of_the_same_code(store):
    """Ids are 71 bits of a hash: a pair of snippets with one id can be searched for. Two of them that ended at the same
    moment (each checked before either was stored) were both stored, the second over the first's run. Only a run of
    the same code replaces a run (run again after a timeout); another snippet's is refused (IdTaken: 409)."""
    store.save_run("abc", "timeout", b'{"code": "one"}', code="one")
    store.save_render("abc", "forward.svg", b"<svg/>")
    store.save_run("abc", "ok", b'{"code": "one", "x": 1}', code="one")
    with pytest.raises(IdTaken):
        store.save_run("abc", "ok", b'{"code": "two"}', code="two")
    assert store.load("abc") == ("ok", b'{"code": "one", "x": 1}', code_sha("one"))
    assert store.json_size("abc") == len(b'{"code": "one", "x": 1}') and store.load_render("abc", "forward.svg") is None
    outcomes: dict[str, str] = {}
    together = threading.Barrier(2)

    def save(code: str) -> None:
        together.wait()
        try:
            store.save_run("race", "ok", code.encode(), code=code)
            outcomes[code] = "stored"
        except IdTaken:
            outcomes[code] = "refused"

    threads = [threading.Thread(target=save, args=(code,)) for code in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()) == ["refused", "stored"], outcomes
    [winner] = [code for code, outcome in outcomes.items() if outcome == "stored"]
    replica = Store(store.engine.url.render_as_string(hide_password=False))  # (no memory of its own)
    try:
        assert replica.load("race") == ("ok", winner.encode(), code_sha(winner))
    finally:
        replica.close()


def test_pictures_are_cached_once(store):
    store.save_run("abc", "ok", b"{}")
    store.save_render("abc", "forward.svg", b"<svg>1</svg>")
    store.save_render("abc", "forward.svg", b"<svg>2</svg>")  # a second drawer loses the race quietly
    assert store.load_render("abc", "forward.svg") == b"<svg>1</svg>"


def test_retention_by_count_and_by_age(store):
    for i in range(12):
        store.save_run(f"r{i:02}", "ok", b"{}")
    assert store.prune(keep_runs=5, keep_days=0) == 7
    assert store.load_run("r11") is not None and store.load_run("r00") is None
    with store.engine.begin() as connection:
        connection.execute(runs.update().where(runs.c.id == "r11").values(created_at=time.time() - 3 * 86400))
    assert store.prune(keep_runs=100, keep_days=2) == 1 and store.load_run("r11") is None


def test_concurrent_writers_and_readers_lose_nothing(store):
    errors = []

    def writer(n):
        try:
            for i in range(25):
                store.save_run(f"w{n}-{i}", "ok", f'{{"n": {n}, "i": {i}}}'.encode())
                assert store.load_run(f"w{n}-{i}") is not None
        except Exception as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(store.load_run(f"w{n}-24") for n in range(6))


def test_sqlite_runs_in_wal_mode(tmp_path):
    store = Store(database_url("", tmp_path))
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_postgresql_urls_go_through_psycopg(tmp_path):
    assert database_url("postgresql://u:p@h/db", tmp_path) == "postgresql+psycopg://u:p@h/db"
    assert database_url("", tmp_path).startswith("sqlite:///")


def test_rows_record_their_compressed_size(store):
    store.save_run("abc", "ok", b"{" + b" " * 10_000 + b"}")
    store.save_render("abc", "forward.svg", os.urandom(5_000))
    with store.engine.connect() as connection:
        for table in (runs, renders):
            size, stored = connection.execute(select(table.c.size, func.length(table.c.body))).one()
            assert size == stored > 0
    with store.engine.connect() as connection:
        picture = connection.execute(select(renders.c.size)).scalar()
    assert store.stored_bytes() == row_cost(len(zlib.compress(b"{" + b" " * 10_000 + b"}", 1))) + row_cost(picture)


KEEP_BYTES = 8 << 20


def test_a_stream_of_huge_unique_runs_stays_within_the_byte_budget(store, tmp_path):
    pruner = Pruner(store, keep_runs=100_000, keep_days=0, keep_bytes=KEEP_BYTES, interval_s=3600)
    pruner.start()
    try:
        for i in range(80):  # 16 MB of runs that do not compress, and pictures: twice the budget
            store.save_run(f"huge{i:03}", "ok", os.urandom(200_000))
            if i % 4 == 0:
                store.save_render(f"huge{i:03}", "forward.svg", os.urandom(50_000))
            assert store.stored_bytes() <= KEEP_BYTES, i  # at every moment, not only in the end
        pruner.flush()
    finally:
        pruner.stop()
    assert store.stored_bytes() <= KEEP_BYTES
    assert store.load_run("huge079") is not None and store.load_run("huge000") is None
    with store.engine.connect() as connection:
        kept = connection.execute(select(func.count()).select_from(runs)).scalar()
        on_disk = sum(
            connection.execute(select(func.coalesce(func.sum(func.length(t.c.body)), 0))).scalar()
            for t in (runs, renders)
        )
        assert connection.execute(select(func.count()).select_from(renders)).scalar() <= kept
    assert 20 < kept < 45 and on_disk <= KEEP_BYTES
    if store.engine.dialect.name == "sqlite":  # the file itself, once the log is folded into it
        with store.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        assert (tmp_path / "gradwalk.db").stat().st_size <= KEEP_BYTES
        assert (tmp_path / "gradwalk.db-wal").stat().st_size <= 16 << 20


def test_the_byte_budget_counts_pictures_and_keeps_the_newest(store):
    for i in range(10):
        store.save_run(f"r{i}", "ok", os.urandom(10_000))
        store.save_render(f"r{i}", "forward.png", os.urandom(10_000))
    store.save_render("gone", "forward.png", os.urandom(10_000))  # a picture whose run was deleted meanwhile
    budget = 5 * 2 * row_cost(10_100)  # five runs with their pictures fit, six do not
    assert store.prune(keep_runs=100, keep_days=0, keep_bytes=budget) == 5
    assert [store.load_run(f"r{i}") is not None for i in range(10)] == [False] * 5 + [True] * 5
    assert store.load_render("r9", "forward.png") is not None and store.load_render("gone", "forward.png") is None
    assert store.stored_bytes() <= budget


def test_a_database_made_before_sizes_were_recorded_gets_them(store):
    url = store.engine.url
    store.save_run("old1", "ok", b'{"x": 1}')
    store.save_render("old1", "forward.svg", b"<svg/>")
    with store.engine.begin() as connection:  # take the tables back to how an older gradwalk made them
        for table in ("renders", "runs"):
            connection.execute(text(f"CREATE TABLE {table}_old AS SELECT * FROM {table}"))
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(
            text(
                "CREATE TABLE runs (id VARCHAR(32) PRIMARY KEY, created_at FLOAT NOT NULL, status VARCHAR(16) "
                "NOT NULL, body BYTEA NOT NULL)".replace(
                    "BYTEA", "BLOB" if url.get_backend_name() == "sqlite" else "BYTEA"
                )
            )
        )
        connection.execute(
            text(
                "CREATE TABLE renders (run_id VARCHAR(32), name VARCHAR(32), body BYTEA NOT NULL, "
                "PRIMARY KEY (run_id, name))".replace(
                    "BYTEA", "BLOB" if url.get_backend_name() == "sqlite" else "BYTEA"
                )
            )
        )
        connection.execute(text("INSERT INTO runs SELECT id, created_at, status, body FROM runs_old"))
        connection.execute(text("INSERT INTO renders SELECT run_id, name, body FROM renders_old"))
        connection.execute(text("DROP TABLE runs_old"))
        connection.execute(text("DROP TABLE renders_old"))
    store.close()
    migrated = Store(url.render_as_string(hide_password=False))
    try:
        with migrated.engine.connect() as connection:
            for table in (runs, renders):
                size, stored = connection.execute(select(table.c.size, func.length(table.c.body))).one()
                assert size == stored > 0
        assert migrated.load_run("old1") == b'{"x": 1}' and migrated.stored_bytes() > 2 * ROW_BYTES
        migrated.cache.clear()
        assert migrated.json_size("old1") == 0 and migrated.load("old1") == ("ok", b'{"x": 1}', "")  # (not recorded)
        migrated.save_run("old1", "ok", b'{"x": 2}', code="x = 2")  # (replaces a run whose code was not recorded)
        migrated.cache.clear()
        assert migrated.json_size("old1") == 8 and migrated.load("old1") == ("ok", b'{"x": 2}', code_sha("x = 2"))
        Store(url.render_as_string(hide_password=False)).close()  # a second start finds the columns there
    finally:
        migrated.close()


class Proxy:
    """A TCP relay on 127.0.0.1 to the test PostgreSQL that can be taken down (every connection cut, new ones
    refused) and brought back on the same port: a database server restarting, as the store sees it."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.port = 0
        self.links: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.up()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port, self.listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        assert self.listener is not None
        for link in [self.listener, *self.links]:  # (shut down first: a blocked accept() holds the socket open)
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
            link.close()
        self.links.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # taken down
                return
            server = socket.create_connection(self.upstream, timeout=5)
            server.settimeout(None)
            self.links += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def proxied() -> Iterator[tuple[Proxy, str]]:
    """The test PostgreSQL behind a Proxy, and the URL that reaches it through the proxy."""
    if POSTGRES is None:
        pytest.skip("set GRADWALK_TEST_DATABASE_URL to a PostgreSQL URL (make test does)")
    url = make_url(database_url(POSTGRES, Path()))
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxy.down()


@pytest.mark.postgres
def test_a_restarting_database_is_waited_for(proxied):
    proxy, url = proxied
    store = Store(url, retry_s=20)
    try:
        store.save_run("restart", "ok", b'{"kept": 1}')
        store.cache.clear()  # (read from the database, not from memory)
        proxy.down()  # the pool's connections are cut, new ones refused for a second
        threading.Timer(1.0, proxy.up).start()
        started = time.monotonic()
        assert store.load_run("restart") == b'{"kept": 1}'
        assert 0.9 < time.monotonic() - started < 10
        store.save_render("restart", "forward.svg", b"<svg/>")  # and writes go on through the new connections
        assert store.load_render("restart", "forward.svg") == b"<svg/>"
        proxy.down()  # a picture is kept when the database answers, and forgotten quietly when it does not
        store.save_render("restart", "backward.svg", b"<svg/>")
        proxy.up()
        assert store.load_render("restart", "backward.svg") is None
    finally:
        store.close()


@pytest.mark.postgres
def test_a_database_away_too_long_is_a_503_and_nothing_is_lost(proxied, make_client):
    proxy, url = proxied
    with make_client(database_url=url, database_retry_s=1) as client:
        code = f"w = torch.tensor({time.time()}, requires_grad=True)\nw.backward()"
        made = client.post("/api/runs", json={"code": code})
        assert made.status_code == 201
        run_id = made.json()["id"]
        proxy.down()
        drawn = client.get(f"/api/runs/{run_id}/backward.dot")  # (the run is in memory: drawn, not kept)
        assert drawn.status_code == 200 and drawn.text.startswith("digraph")
        client.app.state.store.cache.clear()
        started = time.monotonic()
        away = client.get(f"/api/runs/{run_id}")
        assert away.status_code == 503 and away.headers["retry-after"] == "5"
        assert "GRADWALK_DATABASE_RETRY_S" in away.json()["detail"] and time.monotonic() - started < 8
        assert client.get("/").status_code == 200  # the page opens all the same
        again = client.post("/api/runs", json={"code": code + "\nprint(1)"})  # made, but cannot be stored
        assert again.status_code == 503 and "did not answer" in again.json()["detail"]
        proxy.up()
        assert client.get(f"/api/runs/{run_id}").json() == made.json()
        stored = client.post("/api/runs", json={"code": code + "\nprint(1)"})
        assert stored.status_code == 201 and stored.json()["stdout"] == "1\n"
        client.app.state.store.cache.clear()
        assert client.get(f"/api/runs/{stored.json()['id']}").json() == stored.json()


def full_at(engine, pages: int) -> None:
    """Every new SQLite connection of `engine` may grow its database to `pages` pages, as a full disk would stop it
    (SQLITE_FULL)."""
    event.listen(engine, "connect", lambda connection, _record: connection.execute(f"PRAGMA max_page_count = {pages}"))
    engine.dispose()


def test_a_full_disk_is_said_at_once_and_the_database_stays_whole(tmp_path, monkeypatch):
    store = Store(database_url("", tmp_path), retry_s=30)
    waits: list[float] = []
    monkeypatch.setattr("app.store.time.sleep", waits.append)  # (each try again waits first: none may)
    try:
        store.save_run("small", "ok", b'{"kept": 1}')
        with store.engine.connect() as connection:
            pages = connection.execute(text("PRAGMA page_count")).scalar()
        full_at(store.engine, pages + 4)
        with pytest.raises(StorageFull):
            store.save_run("big", "ok", os.urandom(200_000))
        assert waits == []  # it was tried again 30 s, 15 times, for a 503 saying the database may be restarting
        store.cache.clear()
        assert store.load_run("small") == b'{"kept": 1}' and store.load_run("big") is None
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        store.close()


def test_a_run_that_cannot_be_stored_on_a_full_disk_is_a_507_at_once(make_client, monkeypatch):
    waits: list[float] = []
    with make_client(database_retry_s=30) as client:
        store = client.app.state.store
        with store.engine.connect() as connection:
            pages = connection.execute(text("PRAGMA page_count")).scalar()
        full_at(store.engine, pages + 2)
        monkeypatch.setattr("app.store.time.sleep", waits.append)
        code = f"w = torch.tensor({time.time()}, requires_grad=True)\nprint('{os.urandom(12_000).hex()}')"
        full = client.post("/api/runs", json={"code": code})
        assert full.status_code == 507 and full.headers["retry-after"] == "60", full.text
        assert "storage is full" in full.json()["detail"] and waits == []
        assert client.get("/healthz").status_code == 200
