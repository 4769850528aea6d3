torch.manual_seed(1)
for i in range(3):
    globals()[f"w_{i}"] = torch.randn(2, requires_grad=True)
x = torch.tensor([1.0, 2.0])
out = (w_0 * x, w_1 * x + w_2)
match out:
    case (first, second):
        total = (first * second).sum()
total.backward()


class Box:
    pass


box = Box()
setattr(box, "scale", torch.tensor(3.0, requires_grad=True))
y = box.scale * total.detach()
y.backward()
print(w_0.grad, w_1.grad, w_2.grad, box.scale.grad)
try:
    raise ValueError(x.sum())
except ValueError as err:
    arg = err.args[0]
print(arg)
