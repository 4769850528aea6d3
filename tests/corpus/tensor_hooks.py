x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
h.register_hook(lambda grad: grad * 10)
seen = []
x.register_hook(lambda grad: seen.append(grad.clone()))
h.retain_grad()
out = (h ** 2).sum()
out.backward()
print(h.grad)
print(x.grad)
print(seen)
