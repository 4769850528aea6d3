"""Strings from a run never become markup, DOT or script: the server's DOT shows each one as itself and adds
nothing, the run's page carries them as JSON that cannot end its <script>, and every answer says how a
browser may treat it (Content-Security-Policy, nosniff). Forged Runs are stored straight into the store, as
a child that lied would have them stored."""

import json
import re
import types
import xml.etree.ElementTree as ElementTree

import pytest
from fastapi.testclient import TestClient

from app.graph import InvalidRun, parse_run
from app.main import create_app
from app.pages import inline_json
from app.render import _cut_line, _quote, render, to_dot
from app.settings import Settings

from .forged import PAYLOADS, forged_bytes, forged_run, svg_problems

SVG = "{http://www.w3.org/2000/svg}"


def plain(text: str) -> str:
    return " ".join(text.split())


def drawn(svg: bytes) -> tuple[list[str], int, int]:
    """The texts of an SVG picture, its node count and its edge count."""
    root = ElementTree.fromstring(svg)
    texts = [plain(t.text or "") for t in root.iter(f"{SVG}text")]
    groups = [g.get("class") for g in root.iter(f"{SVG}g")]
    return texts, groups.count("node"), groups.count("edge")


def test_markup_in_node_ids_never_reaches_dot():
    """Node ids are letters and digits: a Run with anything else in an id is not read at all (and `_quote`,
    below, would quote it anyway)."""
    with pytest.raises(InvalidRun):
        parse_run(json.dumps(forged_run("x", with_ids=True)))


def test_the_servers_dot_shows_every_string_of_a_forged_run_as_itself_and_adds_nothing():
    run = parse_run(json.dumps(forged_run("x", with_ids=False)))
    for view in ("forward", "backward"):
        dot = to_dot(run, view)
        svg = render(dot, "svg", Settings(render_timeout_s=60))
        assert svg_problems(svg) == [], view
        texts, nodes, edges = drawn(svg)
        graph = getattr(run, view)
        assert (nodes, edges) == (len(graph.nodes), len(graph.edges)), view  # no node or edge more, none lost
        for text in PAYLOADS:
            if view == "forward":
                assert plain(text) in texts, text  # the op's name, and the tensor's var, each a text of its own
                assert f"() {plain(text)}".strip() in texts, text
            else:  # the backward node's name with its tensor's var, cut where a label line is too long to draw
                assert plain(_cut_line(f"{text} ({text})")) in texts, text
        assert "image=" not in re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)  # outside strings only ours
        attributes = set(re.findall(r"(\w+)=", re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)))
        ours = {
            "fontname",
            "rankdir",
            "ranksep",
            "ordering",
            "nodesep",
            "fontsize",
            "label",
            "shape",
            "style",
            "fillcolor",
            "margin",
        }
        assert attributes <= ours, attributes


@pytest.mark.parametrize(
    "text",
    ["end\\", "\\", '"', '\\"', "a\ud800b", "nul\0x", "{|}<>", "&amp;", "\\N", 'x" URL="y', "<html>", "\n\\\n"],
)
def test_one_quoting_for_every_id_and_label_keeps_graphviz_parsing(text):
    for value in (text, f"<{text}>"):
        dot = f"digraph {{ {_quote(value)} [label={_quote(value)}]; {_quote(value)} -> b }}"
        texts, nodes, edges = drawn(render(dot, "svg", Settings(render_timeout_s=30)))
        assert (nodes, edges) == (2, 1)
        expected = plain(re.sub(r"[\x00-\x1f]", " ", value).replace("\ud800", "\ufffd"))
        assert expected in texts, (value, texts)


@pytest.fixture
def app_client(tmp_path, processes_apart):
    """The app over a fresh store, with a stand-in sandbox: these tests only read forged runs back. (Its processes
    apart are the session's, as make_client's.)"""
    stand_in = types.SimpleNamespace(torch_version="2.13.0+cpu", healthy=lambda: True)
    with TestClient(create_app(Settings(data_dir=tmp_path), sandbox=stand_in, apart=processes_apart)) as client:
        yield client


def store(client, run_id: str, body: bytes) -> None:
    client.app.state.store.save_run(run_id, "error", body)


def test_a_forged_runs_page_carries_its_json_escaped_and_a_strict_policy(app_client):
    store(app_client, "forged1", forged_bytes("forged1"))
    page = app_client.get("/runs/forged1")
    assert page.status_code == 200
    inline = page.text.split('<script type="application/json" id="run-data">')[1].split("</script>")[0]
    assert not re.search(r"[<>&\u2028\u2029]", inline)
    assert json.loads(inline) == json.loads(forged_bytes("forged1"))
    assert page.text.count("<script") == 5 and page.text.count("</script>") == 5  # the template's own, only
    policy = page.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'" and "unsafe-inline" not in policy
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and page.headers["x-content-type-options"] == "nosniff"
    assert directives["require-trusted-types-for"] == "'script'"  # no HTML from strings, whatever the code
    assert directives["trusted-types"] == "gradwalk-worker gradwalk-svg"


def test_a_forged_runs_pictures_and_json_answer_with_policies_that_run_nothing(app_client):
    store(app_client, "forged2", forged_bytes("forged2", with_ids=False))
    for view in ("forward", "backward"):
        svg = app_client.get(f"/api/runs/forged2/{view}.svg")
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert svg.headers["content-security-policy"].startswith("default-src 'none'")
        assert svg.headers["x-content-type-options"] == "nosniff" and svg_problems(svg.content) == []
        dot = app_client.get(f"/api/runs/forged2/{view}.dot")
        assert dot.status_code == 200 and dot.headers["x-content-type-options"] == "nosniff"
    answer = app_client.get("/api/runs/forged2")
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.json()["stdout"] == " | ".join(PAYLOADS)


@pytest.mark.parametrize("path", ["/static/js/layout-worker.js", "/static/js/main.js", "/static/gradwalk.css"])
def test_a_file_the_browser_asks_again_about_keeps_the_policy_it_came_with(app_client, path):
    """A browser that asks whether a file it keeps has changed (If-None-Match) gets 304, and puts the 304's headers
    over those it keeps: a 304 carrying the policy of an answer with no content type (nothing may load) made the
    layout worker's own script policy forbid its importScripts, and a page opened again drew nothing."""
    first = app_client.get(path)
    assert first.status_code == 200 and "content-security-policy" in first.headers
    again = app_client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert "content-security-policy" not in again.headers and again.headers["x-content-type-options"] == "nosniff"


def test_a_run_whose_output_opens_a_comment_and_a_script_still_makes_a_whole_page(app_client):
    run = json.loads(forged_bytes("forged3", payloads=["x"]))
    run["stdout"] = "<!--<script>\n</script><script>alert(1)</script>\u2028"
    store(app_client, "forged3", json.dumps(run).encode())
    page = app_client.get("/runs/forged3").text
    assert page.rstrip().endswith("</html>") and '<script type="module" src="/static/js/main.js"></script>' in page
    inline = page.split('id="run-data">')[1].split("</script>")[0]
    assert json.loads(inline)["stdout"] == run["stdout"]


def test_run_json_that_is_not_even_utf8_makes_a_page_not_a_500(app_client):
    store(app_client, "broken1", b'{"id": "broken1", "stdout": "\xed\xa0\x80 <b>"}')
    page = app_client.get("/runs/broken1")
    assert page.status_code == 200 and "<b>" not in page.text


def test_inline_json_means_the_same_json():
    data = json.dumps({"a": "</script><!-- & \u2028 \\<", "b": [1, "\\u003c"]}, ensure_ascii=False).encode()
    assert json.loads(inline_json(data)) == json.loads(data)


def test_the_docs_page_runs_no_inline_script(app_client):
    docs = app_client.get("/docs")
    assert docs.status_code == 200 and re.findall(r"<script(?![^>]*\bsrc=)", docs.text) == []
    assert '<script src="/static/js/docs.js"></script>' in docs.text
    policy = docs.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy and " 'unsafe-eval'" not in policy
    assert app_client.get("/static/js/docs.js").status_code == 200
