torch.manual_seed(72)
x = torch.randn(5, 2, requires_grad=True)
first, *middle, last = x.split(1)
head, *_ = (x * 2).chunk(3)
(q, k), v = x[:2].unbind(), x[2]
params = {"scale": torch.tensor(2.0, requires_grad=True), **{"shift": torch.tensor(0.5, requires_grad=True)}}
out = (first * params["scale"] + last + params["shift"]).sum() + sum(m.sum() for m in middle) + (q * k * v).sum()
out = out + head.mean()
out.backward()
print(len(middle), middle[1])
print(x.grad)
print(params["scale"].grad, params["shift"].grad)
