import builtins
import sys

_print = builtins.print


def stamped(*args, **kwargs):
    _print("[train]", *args, **kwargs)


builtins.print = stamped
w = torch.ones(2, requires_grad=True)
(w * 3).sum().backward()
print("grad", w.grad)
builtins.print = _print
print("restored")
sys.stdout.write("raw write\n")
sys.stdout.flush()
sys.stdout.close()
print("after close")
