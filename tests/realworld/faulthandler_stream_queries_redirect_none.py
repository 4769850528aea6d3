import contextlib
import faulthandler
import io
import sys

import torch

faulthandler.enable()  # a debugging habit at the top of training scripts
print("faulthandler", faulthandler.is_enabled())
print(sys.stdout.writable(), sys.stdout.closed, sys.stderr.writable())
n = sys.stdout.write("written by hand\n")
print("wrote", n, "characters")
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
with contextlib.redirect_stdout(None):
    print("this goes nowhere", w)
loss = (w * w).sum()
loss.backward()
with contextlib.redirect_stdout(io.StringIO()) as buf:
    print(w.grad)
print("captured:", buf.getvalue().strip())
sys.stdout.flush()
faulthandler.dump_traceback(file=sys.stderr, all_threads=False)
faulthandler.disable()
print(w.grad.sum().item())
