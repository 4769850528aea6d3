torch.manual_seed(313)
d = torch.float64
a = torch.randn(2, 1, 3, 1, dtype=d, requires_grad=True)
m = torch.randn(2, 3, 4, dtype=d, requires_grad=True)
v = torch.randn(4, dtype=d, requires_grad=True)
empty = torch.empty(0, 4, dtype=d, requires_grad=True)
sq = a.squeeze((1, 3))
joined = torch.cat([m[0], empty, m[1]], dim=0)
p1, p2 = torch.split(joined, [2, 4])
parts = joined.unbind(0)
stacked = torch.stack(parts[:2], dim=1)
terms = [
    (sq.unsqueeze(-1).expand(2, 3, 4) * m).sum(),
    torch.bmm(m, m.transpose(1, 2)).diagonal(dim1=1, dim2=2).sum(),
    torch.baddbmm(torch.ones(2, 3, 3, dtype=d), m, m.permute(0, 2, 1), beta=0.5, alpha=2.0).sum(),
    torch.addmm(v[:3], m[0, :, :3], m[1, :, :3], beta=0.3, alpha=1.5).sum(),
    torch.mv(m[0], v).sum() + torch.dot(v, v),
    p1.cumsum(-1).sum() + p2.reshape(-1).sum(),
    stacked.sum(),
    m.flatten(1).view(2, 3, 4).mean(),
    m.to(torch.float32).double().sum(),
]
total = torch.stack(terms).sum()
total.backward()
print(round(total.item(), 6), empty.grad.shape)
print(a.grad.squeeze())
print(v.grad)
