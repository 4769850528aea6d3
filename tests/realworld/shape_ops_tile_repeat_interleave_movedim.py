import torch

torch.manual_seed(11)
a = torch.randn(2, 3, requires_grad=True)
t = torch.tile(a, (2, 1))
r = torch.repeat_interleave(a, 2, dim=1)
ri = a.repeat_interleave(torch.tensor([1, 0, 3]), dim=1)
m = torch.movedim(a.unsqueeze(0), 0, -1)
s = torch.swapaxes(a, 0, 1)
n = torch.narrow(a, 1, 1, 2)
sel = torch.select(a, 0, 1)
c1, c2 = torch.chunk(a, 2, dim=1)
u = torch.unbind(a, dim=1)
hs = torch.hstack(u)
bt = torch.broadcast_to(a[:, :1], (2, 4))
r90 = torch.rot90(a, 1, (0, 1))
at = torch.atleast_2d(a[0, 0])
print(
    t.shape,
    r.shape,
    ri.shape,
    m.shape,
    s.shape,
    n.shape,
    sel.shape,
    c1.shape,
    c2.shape,
    hs.shape,
    bt.shape,
    r90.shape,
    at.shape,
)
total = (
    t.sum()
    + (r * 2).sum()
    + ri.pow(2).sum()
    + m.mean()
    + s[0].sum()
    + n.sum() * 3
    + sel.exp().sum()
    + c1.sum()
    - c2.sum()
    + hs.tanh().sum()
    + bt.sum()
    + (r90 * torch.arange(6.0).reshape(3, 2)).sum()
    + at.sum()
)
total.backward()
print(total)
print(a.grad)
