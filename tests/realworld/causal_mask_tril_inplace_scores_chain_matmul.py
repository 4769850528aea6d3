import torch

torch.manual_seed(2)
torch.set_float32_matmul_precision("high")
q = torch.randn(4, 3, requires_grad=True)
k = torch.randn(4, 3, requires_grad=True)
v = torch.randn(4, 3, requires_grad=True)
scores = q @ k.T / 3**0.5
mask = torch.ones(4, 4).tril_()
scores = scores.masked_fill(mask == 0, float("-inf"))
attn = scores.softmax(-1)
upper = attn.clone().triu_(1)
print(upper.abs().sum().item() == 0.0)
out = attn @ v
proj = torch.linalg.multi_dot([out, torch.eye(3), torch.ones(3, 1)])
proj.sum().backward()
print(q.grad)
print(v.grad)
