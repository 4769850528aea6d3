# Script preamble seen in training repos: thread counts, the SIGINT handler in place, determinism flags
import os
import signal
import sys
import threading

import torch

stop_requested = False


def handle_sigint(signum, frame):
    global stop_requested
    stop_requested = True


previous = signal.getsignal(signal.SIGINT)
print("default handler:", previous is signal.default_int_handler, threading.active_count() >= 1)
print("threads >= 1:", torch.get_num_threads() >= 1, "interop >= 1:", torch.get_num_interop_threads() >= 1)
print("grad enabled:", torch.is_grad_enabled(), "anomaly:", torch.is_anomaly_enabled())
print("deterministic:", torch.are_deterministic_algorithms_enabled(), "dtype:", torch.get_default_dtype())
print("stdout is a tty:", sys.stdout.isatty(), "env var set:", "GRADWALK" in "".join(os.environ))
torch.manual_seed(16)
w = torch.randn(3, requires_grad=True)
for step in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.25 * w.grad
    w.grad = None
    if stop_requested:
        break
print(w, stop_requested)
