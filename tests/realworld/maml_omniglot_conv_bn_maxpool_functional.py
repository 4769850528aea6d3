# MAML (Finn et al. 2017) Omniglot-style conv net written functionally: second-order inner step.
import torch
import torch.nn.functional as F


def conv_block(x, w, b, bn_w, bn_b):
    x = F.conv2d(x, w, b, padding=1)
    x = F.batch_norm(x, None, None, bn_w, bn_b, training=True)
    x = F.relu(x)
    return F.max_pool2d(x, 2)


def forward(x, params):
    h = conv_block(x, *params[:4])
    h = h.flatten(1)
    return F.linear(h, params[4], params[5])


torch.manual_seed(0)
n_way, k_shot = 3, 2
params = [
    (torch.randn(4, 1, 3, 3) * 0.3).requires_grad_(),
    torch.zeros(4, requires_grad=True),
    torch.ones(4, requires_grad=True),
    torch.zeros(4, requires_grad=True),
    (torch.randn(n_way, 4 * 4 * 4) * 0.1).requires_grad_(),
    torch.zeros(n_way, requires_grad=True),
]
meta_opt = torch.optim.Adam(params, lr=1e-3)
x_s = torch.randn(n_way * k_shot, 1, 8, 8)
y_s = torch.arange(n_way).repeat_interleave(k_shot)
x_q = torch.randn(n_way * k_shot, 1, 8, 8)
y_q = y_s.clone()

inner_loss = F.cross_entropy(forward(x_s, params), y_s)
grads = torch.autograd.grad(inner_loss, params, create_graph=True)
fast = [p - 0.4 * g for p, g in zip(params, grads)]
outer_loss = F.cross_entropy(forward(x_q, fast), y_q)
meta_opt.zero_grad()
outer_loss.backward()
print(f"inner {inner_loss.item():.4f} outer {outer_loss.item():.4f}")
for i, p in enumerate(params):
    print(i, tuple(p.shape), f"{p.grad.norm():.5f}")
meta_opt.step()
