# Learning the learning rate through the optimizer step itself (differentiable=True).
# Pattern from a hypergradient-descent blog post: unroll a few SGD steps, backprop into log_lr.
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(16, 3)
true_w = torch.tensor([[1.5], [-2.0], [0.5]])
y = x @ true_w + 0.1 * torch.randn(16, 1)

log_lr = torch.tensor(-2.0, requires_grad=True)
meta_opt = torch.optim.Adam([log_lr], lr=0.1)

for outer in range(3):
    w = torch.zeros(3, 1, requires_grad=True)
    w_t = w.clone()  # non-leaf copy, so the unrolled updates stay in the graph
    for inner in range(4):
        inner_loss = ((x @ w_t - y) ** 2).mean()
        (g,) = torch.autograd.grad(inner_loss, w_t, create_graph=True)
        w_t = w_t - log_lr.exp() * g
    val_loss = ((x @ w_t - y) ** 2).mean()
    meta_opt.zero_grad()
    val_loss.backward()
    print(f"outer {outer}: val={val_loss.item():.4f} lr={log_lr.exp().item():.4f} dlr={log_lr.grad.item():+.4f}")
    meta_opt.step()

# the same idea with torch.optim.SGD(differentiable=True) on a leaf that is cloned
p = torch.nn.Parameter(torch.zeros(3, 1))
opt = torch.optim.SGD([p], lr=0.05, momentum=0.9, differentiable=True)
for step in range(3):
    opt.zero_grad()
    loss = ((x @ p - y) ** 2).mean()
    loss.backward()
    opt.step()
print("p after differentiable SGD:", p.detach().squeeze())
print("param_groups differentiable flag:", opt.param_groups[0]["differentiable"])
