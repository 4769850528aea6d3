"""The `gradwalk` command, run as a user runs it: a separate process."""

import contextlib
import io
import json
import os
import pty
import subprocess
import sys

import pytest

from app.cli import Progress, _read_source, snippet_names
from app.graph import failed_run, parse_run

from .helpers import CAN_JAIL, ROOT
from .helpers import SEED_DIR as SEED


def gradwalk(
    *args: str, stdin: str | None = None, env: dict | None = None, terminal: bool = False
) -> subprocess.CompletedProcess:
    """`gradwalk ARGS` in a process of its own; where the jail cannot run (no root or no bubblewrap) its worker
    runs without it, unless `env` (the whole environment) says otherwise. `terminal`: its standard error is a
    terminal (a pseudo-terminal, read back into `stderr`), not a pipe."""
    if env is None:
        env = {**os.environ, "GRADWALK_SANDBOX": "on" if CAN_JAIL else "off"}
    leader, follower = pty.openpty() if terminal else (-1, -1)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app", *args],
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=follower if terminal else subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
            check=False,
        )
        if terminal:
            os.close(follower)
            said = b""
            with contextlib.suppress(OSError):  # (the terminal's other end is closed: all was read)
                while chunk := os.read(leader, 65536):
                    said += chunk
            done.stderr = said.decode()
    finally:
        if terminal:
            os.close(leader)
    return done


@pytest.fixture(scope="module")
def linear_2d() -> subprocess.CompletedProcess:
    """`gradwalk capture --format json` of the 2D example through the sandbox, standard error a pipe: made once for
    the tests that read it (each start of the sandbox, a jailed worker importing torch, takes seconds)."""
    return gradwalk("capture", "--format", "json", str(SEED / "6_linear_2d.py"))


def test_capture_prints_a_valid_run_with_a_stable_id(linear_2d):
    """The same Run, with the same id, whether standard error is a pipe (no word of progress there) or a terminal
    (starting the sandbox takes seconds: it says so, then how the run ended). (JSON is the default format: the
    terminal's run names none.)"""
    done = linear_2d
    assert done.returncode == 0 and done.stderr == ""
    run = parse_run(done.stdout)
    assert run.status == "ok" and run.id and len(run.id) == 12 and run.id.isalnum()
    again = gradwalk("capture", str(SEED / "6_linear_2d.py"), terminal=True)
    assert again.returncode == 0 and parse_run(again.stdout).id == run.id
    said = again.stderr.splitlines()
    assert said[0].startswith("gradwalk: starting the sandbox") and said[1].startswith("gradwalk: running the")
    assert said[-1].startswith("gradwalk: ok, ") and " forward and " in said[-1], said


def test_capture_reads_standard_input():
    source = "import sys\nprint(__file__, sys.argv)\nx = torch.ones(2, requires_grad=True)\n(x * 3).sum().backward()\n"
    run = json.loads(gradwalk("capture", "-", stdin=source).stdout)
    assert run["status"] == "ok"
    assert run["stdout"] == "<stdin> ['-']\n"  # (as `python -` names it)
    assert [n["grad"]["data"] for n in run["forward"]["nodes"] if n.get("var") == "x"] == [[3.0, 3.0]]


def test_a_file_is_named_by_its_path_as_python_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snippet_names("runs/a.py") == {"file": str(tmp_path / "runs" / "a.py"), "argv0": "runs/a.py"}
    assert snippet_names("-") == {"file": "<stdin>", "argv0": "-"}
    assert snippet_names("./a.py")["file"] == f"{tmp_path}/./a.py"  # (`python ./a.py`: joined, not cleaned)
    assert snippet_names("/abs/a.py")["file"] == "/abs/a.py"


def test_capture_dot_and_svg_draw_the_chosen_view():
    dot = gradwalk("capture", str(SEED / "1_scalar.py"), "--format", "dot", "--view", "backward").stdout
    assert dot.startswith("digraph") and "PowBackward0" in dot and "AccumulateGrad" in dot
    svg = gradwalk("capture", str(SEED / "1_scalar.py"), "--format", "svg").stdout
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg and "pow" in svg


def test_what_a_snippet_prints_or_names_sends_no_control_character_to_the_terminal():
    """C1 controls (U+009B is CSI: `\x9b2J` clears an xterm's screen) went out as they are in the JSON and the DOT."""
    source = 'print("\\x9d0;title\\x9c\\x9b2J")\nglobals()["w\\x9b31m"] = torch.ones(2, requires_grad=True)\n'
    source += 'raise ValueError("\\x9b2J")\n'  # (in the one-file page's words too, not only its data)
    done = gradwalk("capture", "-", stdin=source)
    assert done.returncode == 0, done.stderr
    assert not any("\x80" <= c <= "\x9f" for c in done.stdout)
    run = json.loads(done.stdout)  # (the same text, escaped)
    assert run["stdout"] == "\x9d0;title\x9c\x9b2J\n"
    assert [n["var"] for n in run["forward"]["nodes"]] == ["w\x9b31m"]
    dot = gradwalk("capture", "-", "--format", "dot", stdin=source).stdout
    assert "w 31m" in dot and not any("\x80" <= c <= "\x9f" for c in dot)
    page = gradwalk("capture", "-", "--format", "html", stdin=source).stdout
    assert "ValueError:  2J" in page and "\\u009b2J" in page and not any("\x80" <= c <= "\x9f" for c in page)


def test_what_capture_says_on_a_terminal_holds_no_control_character_of_the_run(capsys):
    """The line that says how a run ended names its error's type, which the snippet chooses (its exception class's
    name): `type("Oops\x1b]0;...\x07\x1b[2J", (Exception,), {})` set the terminal's title and cleared its screen on
    every `gradwalk capture` of it on a terminal."""
    controls = "".join(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)]))
    run = failed_run("error", f"Oops{controls}\x1b]0;title\x07\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07", "m")
    assert run.error is not None
    run.error.line = 2
    progress = Progress(quiet=True)
    progress.shown = True  # (as on a terminal)
    progress.done(run)
    said = capsys.readouterr().err
    assert said.startswith("gradwalk: error: Oops ]0;title ") and " on line 2, 0 forward and " in said, said
    assert said.endswith("\n") and not [char for char in said[:-1] if char in controls]


def test_capture_says_nothing_of_its_progress_with_quiet_or_in_a_pipe(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    assert Progress(quiet=False).shown and not Progress(quiet=True).shown  # (--quiet)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not Progress(quiet=False).shown  # (a pipe, a file)


def test_missing_file_is_a_clear_error():
    done = gradwalk("capture", "no/such/file.py")
    assert done.returncode == 2 and "cannot read no/such/file.py" in done.stderr


class _Endless(io.RawIOBase):
    """A stream that never ends (`/dev/zero`, `yes | gradwalk capture -`): it fails past `most` bytes read."""

    def __init__(self, most: int) -> None:
        self.left = most

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.left <= 0:
            raise AssertionError("read on past the snippet's limit")
        size = min(len(buffer), self.left)
        buffer[:size] = b"#" * size
        self.left -= size
        return size


def test_an_endless_snippet_is_refused_after_the_limit_not_read_whole(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(_Endless(1_000_000))))
    with pytest.raises(ValueError, match="over 1000 bytes"):
        _read_source("-", 1000)


def test_invalid_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.py"
    path.write_bytes(b"x = '\xff'\n")
    done = gradwalk("capture", str(path))
    assert done.returncode == 2 and "utf-8" in done.stderr


def test_a_file_is_read_in_the_encoding_python_reads_it_in(tmp_path):
    """A coding line (`# -*- coding: latin-1 -*-`) or a BOM says how Python decodes the file: so does gradwalk (it
    refused the Latin-1 file `python FILE` runs); a coding line naming no codec is refused, as Python refuses it."""
    source = "# -*- coding: latin-1 -*-\nword = 'caf\u00e9'\nprint(word, len(word))\n"
    latin = tmp_path / "latin.py"
    latin.write_bytes(source.encode("latin-1"))
    plain = subprocess.run([sys.executable, str(latin)], capture_output=True, text=True, check=True).stdout
    done = gradwalk("capture", str(latin))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stdout"] == plain == "caf\u00e9 4\n"
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfprint('bom')\n")
    assert json.loads(gradwalk("capture", str(bom)).stdout)["stdout"] == "bom\n"
    unknown = tmp_path / "unknown.py"
    unknown.write_bytes(b"# coding: no-such-codec\nprint(1)\n")
    done = gradwalk("capture", str(unknown))
    assert done.returncode == 2 and "unknown encoding: no-such-codec" in done.stderr


def test_bad_setting_is_named(tmp_path):
    done = gradwalk("capture", str(SEED / "1_scalar.py"), env={"GRADWALK_MAX_NODES": "lots", "PATH": "/usr/bin"})
    assert done.returncode == 2 and "GRADWALK_MAX_NODES" in done.stderr


def test_schema_command_prints_the_run_schema():
    schema = json.loads(gradwalk("schema").stdout)
    assert schema["title"] == "Run" and "TensorNode" in schema["$defs"]


def test_no_sandbox_runs_in_process_with_the_same_result(linear_2d):
    jailed = json.loads(linear_2d.stdout)
    local = json.loads(gradwalk("capture", "--no-sandbox", str(SEED / "6_linear_2d.py")).stdout)
    for run in (jailed, local):
        del run["duration_ms"]
    assert jailed == local


def test_missing_bubblewrap_is_explained():
    done = gradwalk("capture", str(SEED / "1_scalar.py"), env={"PATH": "/nonexistent"})
    assert done.returncode == 2
    assert "sandbox is not available" in done.stderr and "bubblewrap" in done.stderr and "--no-sandbox" in done.stderr


def test_capture_json_carries_each_backward_nodes_explanation_as_the_api_docs_show_it(linear_2d):
    """`gradwalk capture --format json` (through the sandbox) prints every explanation; the 2D example's MmBackward0
    is exactly the one docs/api.md shows."""
    done = linear_2d
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout)
    nodes = run["backward"]["nodes"]
    assert nodes and all(node["explain"] for node in nodes)
    assert all(e["check"]["ok"] for node in nodes for e in node["explain"]["inputs"] if e["check"] is not None)
    mm = next(node["explain"] for node in nodes if node["name"] == "MmBackward0")
    docs = (ROOT / "docs" / "api.md").read_text()
    shown = json.loads(
        docs.split('```json\n  {"rule": "MmBackward0"', 1)[1].split("```", 1)[0].join(['{"rule": "MmBackward0"', ""])
    )
    assert mm == shown
    assert parse_run(done.stdout).backward.nodes[0].explain is not None  # (the server's own model reads it)


def test_serve_names_a_port_it_cannot_use_before_starting():
    """A port out of range (99999 wrapped round to 34463), a busy port or a host that does not resolve: said at once,
    status 2, no workers started."""
    import socket

    out_of_range = gradwalk("serve", "--port", "99999")
    assert out_of_range.returncode == 2 and "'99999' is not a port (0 to 65535)" in out_of_range.stderr
    unknown = gradwalk("serve", "--host", "no-such-host.invalid", "--port", "0")
    assert unknown.returncode == 2 and "cannot listen on no-such-host.invalid port 0" in unknown.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        taken = gradwalk("serve", "--port", port)
    assert taken.returncode == 2 and f"cannot listen on 127.0.0.1 port {port}: Address already in use" in taken.stderr
    assert "gradwalk is ready" not in taken.stderr
