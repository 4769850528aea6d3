"""The tests. OpenMP's threads sleep between torch's ops in the tests' process instead of spinning for the next one, as
in the sandbox's workers (app/sandbox/worker.py says why): the tests run torch here (captures, the oracle) beside a
second pytest and the workers on a few cores, and the spinning took the CPU the others needed (a CNN's snippet in
test_realworld.py took 15 s of CPU instead of 11). The same threads split each op the same way: sums round as before.
OpenMP reads it once, as torch loads it; then the environment is as it was, for the processes the tests start. (A
policy set outside is kept.)"""

import os

if "OMP_WAIT_POLICY" not in os.environ:
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    import torch  # noqa: F401

    del os.environ["OMP_WAIT_POLICY"]
