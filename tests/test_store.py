"""Storage against SQLite and against a real PostgreSQL (`make test` starts one: tests/postgres.sh)."""

import os
import threading
import time

import pytest
from sqlalchemy import delete, text

from app.store import Store, database_url, renders, runs

POSTGRES = os.environ.get("GRADWALK_TEST_DATABASE_URL")


def database_urls(tmp_path) -> dict:
    return {"sqlite": database_url("", tmp_path), "postgresql": database_url(POSTGRES, tmp_path) if POSTGRES else None}


@pytest.fixture(params=["sqlite", "postgresql"])
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
    assert store.load_run("abc") == body and store.load("abc") == ("ok", body)
    assert store.load_run("nope") is None and store.load("nope") is None


def test_saving_again_replaces_the_run_and_forgets_its_pictures(store):
    store.save_run("abc", "timeout", b"{}")
    store.save_render("abc", "forward.svg", b"<svg/>")
    store.save_run("abc", "ok", b'{"x": 1}')
    assert store.load_run("abc") == b'{"x": 1}' and store.load_render("abc", "forward.svg") is None


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
