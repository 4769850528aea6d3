# One layer applied twice (weight sharing) with forward and full backward hooks that log into dicts keyed by call
import torch
import torch.nn as nn
from collections import defaultdict

torch.manual_seed(61)
shared = nn.Linear(3, 3)
head = nn.Linear(3, 1)
acts, grads, calls = {}, defaultdict(list), {"n": 0}


def fwd_hook(module, inputs, output):
    calls["n"] += 1
    acts[f"call{calls['n']}"] = output.detach().clone()


def bwd_hook(module, grad_input, grad_output):
    grads["out"].append(grad_output[0].norm().item())
    grads["in"].append(None if grad_input[0] is None else grad_input[0].norm().item())


h1 = shared.register_forward_hook(fwd_hook)
h2 = shared.register_full_backward_hook(bwd_hook)
x = torch.randn(2, 3, requires_grad=True)
y = torch.tanh(shared(torch.tanh(shared(x))))
out = head(y).sum()
out.backward()
h1.remove()
h2.remove()
print(sorted(acts), [round(g, 4) for g in grads["out"]], [round(g, 4) for g in grads["in"]])
print(acts["call2"], shared.weight.grad, x.grad)
