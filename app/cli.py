"""The `gradwalk` command: `gradwalk capture FILE` runs a snippet and prints its Run or a graph of it."""

import argparse
import io
import json
import os
import socket
import sys
import time
import tokenize
from collections.abc import Callable

from .graph import Run, encode, make_run_id, parse_run, run_schema
from .inline import UNPRINTABLE, json_without_c1
from .render import VIEWS, RenderError, render, to_dot
from .settings import Settings, SettingsError


def _read_source(path: str, max_bytes: int) -> str:
    # At most one byte past the limit is read: `gradwalk capture /dev/zero` or a stdin that never ends held every
    # byte it read (7.6 GB in 20 s) before the size was looked at.
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        with open(path, "rb") as file:
            data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"the snippet is over {max_bytes} bytes, the limit (GRADWALK_MAX_SOURCE_BYTES)")
    try:  # (as `python FILE` reads it: UTF-8, or what a BOM or a `# -*- coding: latin-1 -*-` line says)
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        data.decode("utf-8")  # (not UTF-8, and no coding line: which byte, and where)
        raise ValueError(exc.msg) from None  # (a coding line naming no codec Python knows)
    return data.decode(encoding)


def snippet_names(path: str) -> dict[str, str]:
    """The names `python FILE` gives the code it runs: its path as the file's name (`__file__`, tracebacks), and
    `sys.argv[0]` as typed; `-` is standard input, as `python -` names it. Only these strings reach the sandbox."""
    if path == "-":
        return {"file": "<stdin>", "argv0": "-"}
    return {"file": os.path.join(os.getcwd(), path), "argv0": path}  # (as Python joins it: `/cwd/./x.py`, not cleaned)


class Progress:
    """What the command is doing, on standard error while it waits (starting the sandbox takes seconds): only when
    standard error is a terminal and `--quiet` is not given, so scripts and pipes see nothing of it."""

    def __init__(self, quiet: bool):
        self.shown = not quiet and sys.stderr.isatty()
        self.started = time.monotonic()

    def say(self, words: str) -> None:
        """One line on the terminal, with no control character in it: how the run ended names its error's type, which
        the snippet chooses (an exception class named `Oops\x1b]0;...\x07\x1b[2J` set the terminal's title and
        cleared its screen)."""
        if self.shown:
            line = " ".join(UNPRINTABLE.sub(" ", words).split())
            print(f"gradwalk: {line}", file=sys.stderr, flush=True)

    def done(self, run: Run) -> None:
        seconds = time.monotonic() - self.started
        graphs = f"{len(run.forward.nodes)} forward and {len(run.backward.nodes)} backward nodes"
        error = run.error
        ended = (
            run.status
            if error is None
            else f"{run.status}: {error.type}" + (f" on line {error.line}" if error.line is not None else "")
        )
        self.say(f"{ended}, {graphs}, in {seconds:.1f} s")


def _run_snippet(source: str, settings: Settings, sandboxed: bool, names: dict[str, str], progress: Progress) -> Run:
    if not sandboxed:
        progress.say("running the snippet in this process (importing torch)")
        from .capture import capture, dumps  # imports torch: only this path pays for it in this process

        limits = settings.capture_limits()
        return parse_run(dumps(capture(source, **limits, file=names["file"], argv0=names["argv0"])))
    from .sandbox import Sandbox

    progress.say("starting the sandbox (a jailed worker loading torch)")
    sandbox = Sandbox(settings.model_copy(update={"workers": 1}), once=True)
    sandbox.start()
    try:
        progress.say(f"running the snippet (at most {settings.run_timeout_s:g} s: GRADWALK_RUN_TIMEOUT_S)")
        job = sandbox.job(source)
        job["capture"].update(names)
        header, body = sandbox.execute(job)
        return sandbox.to_run(header, body, job["capture"]["max_elements"])
    finally:
        sandbox.stop()


def capture_command(args: argparse.Namespace, settings: Settings) -> int:
    from .sandbox import SandboxUnavailable

    try:
        source = _read_source(args.file, settings.max_source_bytes)
    except (OSError, ValueError) as exc:  # ValueError includes UnicodeDecodeError
        print(f"gradwalk: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    progress = Progress(args.quiet)
    try:
        run = _run_snippet(source, settings, not args.no_sandbox, snippet_names(args.file), progress)
    except SandboxUnavailable as exc:
        print(
            f"gradwalk: the sandbox is not available: {exc}. Use --no-sandbox to run the snippet in this "
            "process, or GRADWALK_SANDBOX=off for workers without the jail.",
            file=sys.stderr,
        )
        return 2
    run.id, run.code = make_run_id(source, {}, run.torch_version or ""), source  # as the API's runs have them
    progress.done(run)
    if args.format == "json":
        sys.stdout.buffer.write(json_without_c1(encode(run)) + b"\n")  # (some terminals act on C1 characters)
        return 0
    if args.format == "html":
        from .embed import ViewerMissing, standalone_html

        try:
            sys.stdout.write(standalone_html(run, settings))
        except ViewerMissing as exc:
            print(f"gradwalk: the viewer is not installed: {exc}", file=sys.stderr)
            return 1
        return 0
    dot = to_dot(run, args.view, settings.label_whole_elements)
    if args.format == "dot":
        sys.stdout.write(dot)
        return 0
    try:
        sys.stdout.write(render(dot, "svg", settings).decode())
    except RenderError as exc:
        print(f"gradwalk: {exc}", file=sys.stderr)
        return 1
    return 0


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    import logging

    from . import server
    from .main import create_app
    from .sandbox import SandboxUnavailable, check_isolation

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings.check_host(args.host)
    except SettingsError as exc:
        print(f"gradwalk: refusing to serve: {exc}", file=sys.stderr)
        return 2
    try:
        check_listen(args.host, args.port)
    except OSError as exc:
        print(f"gradwalk: cannot listen on {args.host} port {args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if settings.sandbox == "on":
        try:
            check_isolation()
        except SandboxUnavailable as exc:
            print(
                f"gradwalk: refusing to serve without the sandbox: {exc}. Set GRADWALK_SANDBOX=off only to run "
                "snippets from yourself alone, on your own machine.",
                file=sys.stderr,
            )
            return 2
    server.serve(create_app(settings), settings, args.host, args.port)
    return 0


def check_listen(host: str, port: int) -> None:
    """Raise OSError unless `host` resolves and `port` is free there: said before the workers start, not after."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # (the family uvicorn binds with)
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (as uvicorn binds: a closed port's TIME_WAIT)
        probe.bind((host, port))


def port_number(text: str) -> int:
    port = int(text) if text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return port


def schema_command(args: argparse.Namespace, settings: Settings) -> int:
    sys.stdout.write(json.dumps(run_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradwalk", description="See PyTorch autograd at work.")
    commands = parser.add_subparsers(dest="command", required=True)
    capture = commands.add_parser(
        "capture",
        help="run a snippet and print its Run JSON or one of its graphs",
        description="Run a PyTorch snippet (torch, nn and F are pre-imported) in the sandbox and print what "
        "gradwalk recorded. Exit status 0 whenever a Run was produced, whatever its status; 2 when the file "
        "cannot be read, a setting is bad or the sandbox is not available.",
    )
    capture.add_argument("file", help="the snippet's path, or - for standard input")
    capture.add_argument(
        "--format",
        choices=("json", "dot", "svg", "html"),
        default="json",
        help="json: the Run (default); dot or svg: one graph; html: one self-contained file, both graphs "
        "interactive (no server, no network)",
    )
    capture.add_argument(
        "--view", choices=VIEWS, default="forward", help="which graph --format dot/svg draws (default forward)"
    )
    capture.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run the snippet in this process instead of a jailed worker: quicker to start, but only for code "
        "you trust (no time, memory or system limits)",
    )
    capture.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="say nothing on standard error while it works (it says what it does only when that is a terminal)",
    )
    capture.set_defaults(handler=capture_command)
    serve = commands.add_parser(
        "serve",
        help="run the web server and REST API",
        description="Serve the gradwalk API (OpenAPI at /docs) with a pool of sandboxed workers.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000, help="port to listen on (default 8000)")
    serve.set_defaults(handler=serve_command)
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the Run JSON",
        description="Print the JSON Schema of the Run that `capture` and the API return.",
    )
    schema.set_defaults(handler=schema_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"gradwalk: bad setting: {exc}", file=sys.stderr)
        return 2
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    return handler(args, settings)
