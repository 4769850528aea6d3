torch.manual_seed(6)
x = torch.randn(4, 3, requires_grad=True)
h = x * 2
first_rows = h[:2]
first_rows.register_hook(lambda g: print("grad at rows view:", g))
col = h[:, 1]
col.register_hook(lambda g: g * 10)
loss = (first_rows ** 2).sum() + col.sum()
loss.backward(retain_graph=True)
print(x.grad)
flat = h.view(-1)
seen = []
flat.register_hook(lambda g: seen.append(g.sum().item()))
(flat * torch.arange(12.0)).sum().backward()
print(seen, x.grad)
