torch.manual_seed(54)


def make_pair():
    left = torch.randn(3, requires_grad=True)
    right = torch.randn(3, requires_grad=True)
    return left, right


model = nn.Sequential()
model.add_module("encoder", nn.Linear(3, 2))
model.add_module("head", nn.Linear(2, 1))
enc = model.encoder
a, b = make_pair()
params = [a, b]
first = second = torch.zeros(3)
xs = [torch.randn(3) for _ in range(2)]
ys = [torch.tensor(1.0), torch.tensor(0.0)]
for i, (xb, yb) in enumerate(zip(xs, ys)):
    if (n := (xb * a).norm()) > 0:
        loss = (model(xb * b).squeeze() - yb) ** 2 + n
        loss.backward()
a, b = b, a
total = a.sum() + b.sum()
print(i, n.item() > 0, params[0] is b)
print(enc.weight.grad)
print(params[1].grad)
