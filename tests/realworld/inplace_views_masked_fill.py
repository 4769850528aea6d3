a = torch.arange(6.0, requires_grad=True)
b = a * 2
v = b.view(2, 3)
v[0] += 1
v[:, 1].mul_(3)
c = b.masked_fill_(b > 10, 0.0)
d = c.clone()
d[d < 3] = -1
loss = (d * a).sum()
loss.backward()
print(b, d, a.grad)
