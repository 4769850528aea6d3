import torch
from torch.autograd.graph import get_gradient_edge

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
edge = get_gradient_edge(h)  # remember where h was produced
h.mul_(3)  # in-place changes h's grad_fn
h.add_(1)
out = (h**2).sum()
(g_edge,) = torch.autograd.grad(out, edge, retain_graph=True)
(g_now,) = torch.autograd.grad(out, h, retain_graph=True)
print("grad at the edge (before the in-place ops):", g_edge)
print("grad w.r.t. h now:", g_now)
print(h.grad_fn.name(), edge.node.name(), edge.output_nr)
out.backward()
print("x.grad =", x.grad)
