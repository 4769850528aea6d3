"""A warm sandboxed run of the seed's 2D example against a fresh Python process that imports torch, in one run.

    python bench/sandbox.py [--runs 50]

The sandboxed run goes through the same pool the server uses (jailed worker, forked child, capture, JSON
back, validated). The fresh process runs the same snippet with plain torch: `python -c "import torch; ..."`.
Medians over `--runs` (fresh: a tenth as many). Needs root, like the sandbox itself.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.sandbox import Sandbox  # noqa: E402
from app.settings import Settings  # noqa: E402

SNIPPET = (ROOT / "app" / "examples" / "6_linear_2d.py").read_text(encoding="utf-8")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    sandbox = Sandbox(Settings.from_env().model_copy(update={"workers": 1}))  # GRADWALK_* apply, uid included
    boot = timed(sandbox.start)
    try:
        assert sandbox.run(SNIPPET).status == "ok"
        back_to_back = [timed(lambda: sandbox.run(SNIPPET)) for _ in range(args.runs)]
        spaced = []
        for _ in range(args.runs):
            time.sleep(0.05)  # a person's pace: the worker has forked its next child before the run arrives
            spaced.append(timed(lambda: sandbox.run(SNIPPET)))
    finally:
        sandbox.stop()
    fresh_command = [sys.executable, "-c", "import torch\n" + SNIPPET]
    fresh = [
        timed(lambda: subprocess.run(fresh_command, check=True, capture_output=True))
        for _ in range(max(3, args.runs // 10))
    ]
    fresh_ms = statistics.median(fresh) * 1000
    print(f"seed 2D example; worker start (import torch in the jail): {boot * 1000:.0f} ms\n")
    print("| path | median (ms) | fresh process / path |")
    print("|---|---:|---:|")
    for name, times in (
        ("warm sandboxed run, one at a time (jail, fork, capture, JSON, validation)", spaced),
        ("warm sandboxed run, back to back (the worker forks between runs)", back_to_back),
    ):
        ms = statistics.median(times) * 1000
        print(f"| {name} | {ms:.1f} | {fresh_ms / ms:.0f}x |")
    print(f'| fresh `python -c "import torch; ..."` | {fresh_ms:.1f} | 1x |')


if __name__ == "__main__":
    main()
