import torch

torch.manual_seed(2)
W = torch.nn.Parameter(torch.randn(3, 2))
bias = torch.nn.Parameter(torch.zeros(2))

def clamp_and_report(p):
    print(f"accumulated grad for shape {tuple(p.shape)}: norm {p.grad.norm():.3f}")
    p.grad.clamp_(-0.5, 0.5)

for p in (W, bias):
    p.register_post_accumulate_grad_hook(clamp_and_report)

x = torch.randn(5, 3)
for step in range(2):
    out = torch.relu(x @ W + bias)
    loss = (out ** 2).sum()
    loss.backward()
    print(step, W.grad)
with torch.no_grad():
    W -= 0.1 * W.grad
print(W)
