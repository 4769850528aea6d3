torch.manual_seed(198)
leaf = torch.randn(4, requires_grad=True)
h = leaf * 2
h.retain_grad()
v = h[1:3]
v.retain_grad()
v.mul_(10)
out = h.exp().sum()
out.backward()
print(h.grad, v.grad)
print(leaf.grad)
k = leaf.clone()
k.retain_grad()
k += 1
k.retain_grad()
(k ** 2).sum().backward()
print(k.grad, leaf.grad)
