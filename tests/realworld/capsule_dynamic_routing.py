import torch
import torch.nn.functional as F

torch.manual_seed(3)

def squash(s, dim=-1):
    n2 = (s ** 2).sum(dim=dim, keepdim=True)
    return n2 / (1 + n2) * s / torch.sqrt(n2 + 1e-8)

u = torch.randn(2, 6, 4)           # batch, in caps, in dim
W = torch.randn(6, 3, 5, 4, requires_grad=True)  # in caps, out caps, out dim, in dim
u_hat = torch.einsum('ijkl,bil->bijk', W, u)
b = torch.zeros(2, 6, 3)
for it in range(3):
    c = F.softmax(b, dim=2)
    s = (c.unsqueeze(-1) * u_hat).sum(dim=1)
    v = squash(s)
    if it < 2:
        b = b + (u_hat * v.unsqueeze(1)).sum(-1).detach()
lengths = v.norm(dim=-1)
target = torch.tensor([0, 2])
loss = F.cross_entropy(lengths, target)
loss.backward()
print(lengths)
print("W grad norm", round(W.grad.norm().item(), 4))
