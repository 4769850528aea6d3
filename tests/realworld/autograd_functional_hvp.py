from torch.autograd.functional import hvp, vhp, vjp
torch.manual_seed(31)

def rosen(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

point = torch.tensor([0.5, 0.5])
v = torch.tensor([1.0, 0.0])
value, hv = hvp(rosen, point, v)
_, vh = vhp(rosen, point, v)
out, vj = vjp(lambda t: t.exp() * t, torch.randn(3), torch.ones(3))
print(value, hv, vh)
print(out.shape, vj.shape)
