"""The viewer in a document of its own (app/embed.py): the page's modules bundled into one script with Viz.js
inside, the page's stylesheet scoped, the one-file run with a policy that runs only its own scripts, every string
of a run carried as JSON that cannot end its element; `GET /api/runs/{id}.html` and `gradwalk capture --format
html`. (tests/browser/test_notebook.py opens these in Chromium.)"""

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.apart import Apart
from app.embed import (
    AHEAD_GROUPS,
    ViewerMissing,
    _parse_module,
    embedded_data,
    run_html,
    scoped_css,
    standalone_html,
    viewer_css,
    viewer_script,
)
from app.fold import fold_run
from app.graph import GroupNode, RunError, encode, parse_run
from app.inline import html_text, inline_json
from app.settings import Settings

from .forged import forged_bytes
from .helpers import ROOT, SEED_DIR

STATIC = ROOT / "static"
SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.DOTALL)


def seed_run(name: str = "6_linear_2d.py"):
    from app.capture import capture, dumps

    return parse_run(dumps(capture((SEED_DIR / name).read_text(), **Settings().capture_limits())))


def test_the_bundle_holds_every_module_the_embedded_viewer_imports_and_graphviz_once():
    script, version = viewer_script(STATIC)
    for module in ("dom.js", "i18n.js", "format.js", "inspector.js", "panzoom.js", "svg.js", "pane.js", "viewer.js"):
        assert f'modules["{module}"] = (function () {{' in script
    assert (
        script.index('modules["dom.js"]') < script.index('modules["viewer.js"]') < script.index('modules["embed.js"]')
    )
    assert "</script" not in script.lower() and "<!--" not in script
    packed = re.search(r'\.start\("[0-9a-f]+", "([A-Za-z0-9+/=]+)"', script).group(1)
    viz = (STATIC / "vendor" / "viz" / "viz-global.js").read_bytes()
    assert gzip.decompress(base64.b64decode(packed)) == viz
    # (Graphviz gzipped is about 0.64 MB of it, the viewer's modules about 0.36 MB and growing with what it says)
    assert script.count(packed) == 1 and len(script) < 1_100_000
    assert "/static/vendor" not in script  # the worker's script comes without its server path
    assert viewer_script(STATIC) == (script, version)  # made once while the files stay the same


def test_the_bundler_refuses_module_syntax_it_does_not_read():
    with pytest.raises(ViewerMissing):
        _parse_module("x.js", 'import * as all from "./y.js";\n')
    with pytest.raises(ViewerMissing):
        _parse_module("x.js", "export default function () {}\n")
    module = _parse_module("x.js", 'import { a, b as c } from "./y.js";\nexport const d = 1;\nexport { e };\n')
    assert module.imports == [("y.js", [("a", "a"), ("b", "c")])]
    assert module.exports == ["d", "e"]


def test_the_page_stylesheet_is_scoped_to_the_embed():
    css = scoped_css(
        ":root { --ink: #000; }\nbody { margin: 0 }\n.pane, g.node { x: 1 }\n@media (max-width: 9px) { .a { y: 2 } }",
        ".s",
    )
    assert ".s {" in css and "--ink" in css
    assert "body" not in css and "margin" not in css
    assert ".s .pane, .s g.node {" in css
    assert "@media (max-width: 9px) {\n.s .a {" in css
    unscoped = re.compile(r"(^|[},])\s*body\b", re.M)  # (a selector that starts at the page's body; not `.step-body`)
    assert not unscoped.search(viewer_css(STATIC).split("body.gw-file")[0])  # only the one-file page styles its body


def test_a_selector_list_inside_a_selector_stays_whole_when_scoped():
    """`g.node.running > :is(polygon, path)` (the node a step runs, the one selected) was split at its inner comma
    into two broken selectors, and the browser dropped the rule: embedded runs showed no running or selected node."""
    css = scoped_css("g.node > :is(polygon, path), a[title='x, y'] { x: 1 }", ".s")
    assert css.strip() == ".s g.node > :is(polygon, path), .s a[title='x, y'] { x: 1 }"
    scoped = viewer_css(STATIC)
    assert ":is(polygon, path) {" in scoped and ":is(polygon, ellipse, path) {" in scoped
    assert not re.search(r":is\([^)]*\{", scoped)  # (no selector cut inside its parentheses)


def test_the_one_file_run_allows_only_its_own_scripts_and_style():
    page = standalone_html(seed_run(), Settings())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    allowed = set(re.findall(r"'sha256-([^']+)'", policy))
    scripts = [body for attributes, body in SCRIPT.findall(page) if "application/json" not in attributes]
    assert len(scripts) == 1 and len(allowed) == 2
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1)
    for text in [*scripts, style]:
        assert base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() in allowed
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "worker-src blob:" in policy and "require-trusted-types-for 'script'" in policy
    assert "default-src 'none'" in policy and "connect-src" not in policy  # nothing is fetched
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_the_one_file_run_says_the_language_it_is_made_in():
    """`%gradwalk --lang ko`'s file said <html lang="en"> over its Korean; made in no language, the viewer sets the
    reader's as it starts (tests/browser/test_notebook.py)."""
    run = seed_run("1_scalar.py")
    assert '<html lang="ko">' in standalone_html(run, Settings(), lang="ko")
    assert '<html lang="en">' in standalone_html(run, Settings(), lang="en")
    assert '<html lang="en">' in standalone_html(run, Settings())


class Tags(HTMLParser):
    """The (tag, attribute) pairs of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str | None]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen |= {(tag, name) for name, _ in attrs} or {(tag, None)}


def test_every_string_of_a_run_stays_inside_its_json():
    run = parse_run(forged_bytes("Forged1"), check_ids=False)
    data = embedded_data(run, Settings(), fold=1000)
    page = run_html(data, run, {}, bootstrap=True)
    tags = Tags()
    tags.feed(page)
    assert tags.seen <= {
        ("div", "class"),
        ("p", None),
        ("b", None),
        ("script", "type"),
        ("script", "class"),
        ("script", None),
    }
    json_text = next(body for attributes, body in SCRIPT.findall(page) if "application/json" in attributes)
    assert "<" not in json_text and json.loads(json_text)["run"]["id"] == "Forged1"
    assert inline_json(data) == json_text


def test_the_one_file_runs_words_send_no_control_character_to_a_terminal():
    """`gradwalk capture --format html` writes the one-file run to standard output, a terminal as often as not: the
    error's words under the pictures turned only C1 characters into spaces, and ESC went out as it was, so a snippet's
    exception named or worded `\x1b]0;...\x07` set the reader's window title, `\x1b[2J` cleared the screen and
    `\x1b]52;c;...\x07` wrote the clipboard of terminals that allow it."""
    run = parse_run(forged_bytes("Forged1"), check_ids=False)
    controls = "".join(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x80, 0xA0)]))
    run.error = RunError(type=f"Oops{controls}", message=f"said{controls}\n\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J", line=3)
    run.stdout = controls
    page = run_html(encode(run), run, {}, bootstrap=True)
    assert not [char for char in page if char in controls]
    assert "Oops" in page and "said" in page and " ]52;c;cm0gLXJmIH4=  [2J" in page  # (as spaces: the words stay)
    # (and what reorders or hides text, as the DOT labels write it: `Oops` and `said` read backwards after U+202E)
    assert html_text("Oops\u202e\u200bsaid\x1b[2J\tok\n") == "Oops  said [2J ok "


def test_embeds_write_small_tensors_whole_as_the_setting_says():
    from app.capture import capture, dumps

    code = "x = torch.arange(16.0, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
    run = parse_run(dumps(capture(code, **Settings().capture_limits())))
    cut = json.loads(embedded_data(run, Settings(label_whole_elements=9), fold=1000))
    whole = json.loads(embedded_data(run, Settings(label_whole_elements=16), fold=1000))
    assert "…" in cut["dot"]["forward"] and "…" not in whole["dot"]["forward"]


def test_embeds_carry_the_backward_formulas_in_either_language_where_they_fit():
    """The one-file run and a notebook output drew their backward nodes with no formula, which the page shows by
    default, and in Korean each saved value said "saved": they carry the page's DOT of either language, and leave it
    out (the graphs first) where it would not fit."""
    run = seed_run("1_scalar.py")
    data = json.loads(embedded_data(run, Settings(), fold=1000))
    assert "∂y/∂x = 2 · x" in data["dot"]["backward.en"] and "saved x (self)" in data["dot"]["backward.en"]
    assert "∂y/∂x = 2 · x" in data["dot"]["backward.ko"] and "저장 x (self)" in data["dot"]["backward.ko"]
    assert "∂y/∂x" not in data["dot"]["backward"]
    graphs = len(json.dumps(data["run"])) + len(data["dot"]["forward"]) + len(data["dot"]["backward"])
    tight = json.loads(embedded_data(run, Settings(), fold=1000, max_bytes=graphs + 10))
    assert sorted(tight["dot"]) == ["backward", "forward"]


def test_a_folded_run_carries_its_groups_opened_ahead():
    from app.capture import capture, dumps

    code = "w = torch.randn(4, 4, requires_grad=True)\nx = torch.randn(2, 4)\n"
    code += "for _ in range(40):\n    x = torch.tanh(x @ w)\nx.sum().backward()\n"
    run = parse_run(dumps(capture(code, **Settings().capture_limits())))
    data = json.loads(embedded_data(run, Settings(), fold=30))
    groups = [n["id"] for n in data["run"]["forward"]["nodes"] if n["kind"] == "group"]
    assert groups and data["run"]["fold"]["budget"] == 30
    assert [view["query"] for view in data["views"]] == [f"fold=30&expand={g}" for g in groups[:AHEAD_GROUPS]]
    opened = data["views"][0]
    assert len(opened["run"]["forward"]["nodes"]) > len(data["run"]["forward"]["nodes"])
    assert opened["dot"]["forward"].startswith("digraph {")
    shown = fold_run(run, 30)
    assert any(isinstance(node, GroupNode) for node in shown.forward.nodes)


def test_api_serves_a_stored_run_as_one_file_to_save(client):
    created = client.post("/api/runs", json={"code": (SEED_DIR / "6_linear_2d.py").read_text()}).json()
    answer = client.get(f"/api/runs/{created['id']}.html")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-disposition"] == f'attachment; filename="{created["id"]}.html"'
    assert 'class="gw-data"' in answer.text and "Content-Security-Policy" in answer.text
    assert client.get(f"/api/runs/{created['id']}.html").content == answer.content  # cached with the run
    assert client.get("/api/runs/NoSuchRun1.html").status_code == 404
    assert client.get("/api/runs/bad!id.html").status_code == 404
    assert client.get(f"/api/runs/{created['id']}").json()["id"] == created["id"]  # the JSON twin is unchanged


def test_a_one_file_run_is_made_again_when_the_stylesheet_changes(make_client, database, tmp_path: Path):
    """The one file is cached with the run under the viewer it carries: kept under its script's version alone, a file
    made before the stylesheet changed (a print stylesheet added) was still served after, without it."""
    static = tmp_path / "static"
    static.mkdir()
    for name in ("js", "vendor", "favicon.svg"):
        (static / name).symlink_to(STATIC / name)
    (tmp_path / "templates").symlink_to(ROOT / "templates")
    for name in ("gradwalk.css", "embed.css"):
        (static / name).write_text((STATIC / name).read_text(encoding="utf-8"), encoding="utf-8")
    with make_client(static_dir=static, database_url=database) as client:
        created = client.post("/api/runs", json={"code": (SEED_DIR / "1_scalar.py").read_text()}).json()
        before = client.get(f"/api/runs/{created['id']}.html").text
        with (static / "embed.css").open("a", encoding="utf-8") as css:
            css.write("\n.gw-embed .gw-changed { color: teal; }\n")
        stamp = (static / "embed.css").stat().st_mtime + 10
        os.utime(static / "embed.css", (stamp, stamp))
        after = client.get(f"/api/runs/{created['id']}.html").text
    assert ".gw-changed" not in before and ".gw-changed" in after


def test_capture_format_html_writes_one_file(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "app", "capture", str(SEED_DIR / "1_scalar.py"), "--format", "html", "--no-sandbox"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<!doctype html>") and 'class="gw-data"' in done.stdout


def test_the_server_draws_the_one_files_pictures_in_graphvizs_jail(monkeypatch):
    """The one file's static pictures are drawn as every picture the server draws (layer 5: Graphviz in a jail of
    its own when the sandbox is on); only a recording, the user's own process, draws them as the user."""
    import app.embed
    from app.recording import settings as recording_settings

    asked = []

    def render(dot, fmt, settings, apart=None):
        asked.append(settings.sandbox)
        return b"<svg/>"

    monkeypatch.setattr(app.embed, "render", render)
    run = seed_run("1_scalar.py")
    standalone_html(run, Settings(sandbox="on"))
    assert asked and set(asked) == {"on"}
    asked.clear()
    app.embed.pictures(run, recording_settings())
    assert asked and set(asked) == {"off"}


def test_the_one_file_made_in_the_servers_process_places_its_pictures_labels_as_the_servers_pictures(
    make_client, monkeypatch
):
    """A run under GRADWALK_APART_MIN_BYTES has its one file made in the server's process, and its pictures' labels
    were placed there whatever their layout: `torch.stack([w] * 1000)` (a 406 KB run, a 3.9 MB layout) held the
    server's interpreter a second or two for it. They are placed where the server's pictures' are (apart when big)."""
    import app.embed

    asked = []

    def render(dot, fmt, settings, apart=None):
        asked.append(apart)
        return b"<svg/>"

    monkeypatch.setattr(app.embed, "render", render)
    with make_client() as client:
        created = client.post("/api/runs", json={"code": (SEED_DIR / "6_linear_2d.py").read_text()}).json()
        assert client.get(f"/api/runs/{created['id']}.html").status_code == 200
    assert len(asked) == 2 and all(isinstance(apart, Apart) for apart in asked), asked
