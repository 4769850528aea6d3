# Small environment report at the top of a training script, then a step; print is made to flush.
import functools
import os
import torch

print = functools.partial(print, flush=True)
print("torch", torch.__version__.split("+")[0] >= "2")
print("threads:", torch.get_num_threads(), "interop:", torch.get_num_interop_threads())
print("cpu count known:", os.cpu_count() is not None)
print("grad enabled:", torch.is_grad_enabled(), "default dtype:", torch.get_default_dtype())
print("deterministic:", torch.are_deterministic_algorithms_enabled())
w = torch.randn(3, requires_grad=True)
loss = (w.exp() - 1).pow(2).sum()
loss.backward()
print("grad", w.grad, sep="\n")
