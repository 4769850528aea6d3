a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sigmoid()
c = b * 3
b.mul_(2)
try:
    c.sum().backward(retain_graph=True)
    (b ** 2).sum().backward()
except RuntimeError as err:
    print(type(err).__name__, str(err).split(":")[0])
    print("version" in str(err))
d = a.exp()
d.sum().backward()
print(a.grad)
