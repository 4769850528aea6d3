from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import orthogonal
torch.manual_seed(7)
rot = orthogonal(nn.Linear(4, 4, bias=False), orthogonal_map="cayley")
hh = orthogonal(nn.Linear(4, 3, bias=False), orthogonal_map="householder")
x = torch.randn(5, 4)
z = hh(rot(x))
loss = (z - 1).pow(2).mean()
loss.backward()
W = rot.weight
print(torch.dist(W.T @ W, torch.eye(4)) < 1e-5)
print(parametrize.is_parametrized(rot), parametrize.is_parametrized(rot, "bias"))
orig = rot.parametrizations.weight.original
print(orig.grad is not None, orig.shape)
with torch.no_grad():
    Q, _ = torch.linalg.qr(torch.randn(4, 4))
    rot.weight = Q
print(torch.allclose(rot.weight, Q, atol=1e-5))
