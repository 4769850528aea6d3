# Two torch.Generator objects: data order and init are reproducible independently of each other
g_data = torch.Generator().manual_seed(123)
g_init = torch.Generator().manual_seed(7)
w = torch.empty(3, 2)
nn.init.normal_(w, std=0.5, generator=g_init)
w.requires_grad_()
X = torch.rand(6, 3, generator=g_data)
order = torch.randperm(6, generator=g_data)
noise = torch.randn(6, 2, generator=g_data)
state = g_data.get_state()
again = torch.randn(2, generator=g_data)
g_data.set_state(state)
print(torch.equal(again, torch.randn(2, generator=g_data)))
total = 0.0
for i in order.tolist():
    out = X[i] @ w + noise[i]
    loss = out.pow(2).sum()
    loss.backward()
    total += loss.item()
    print(f"sample {i}: loss {loss.item():8.5f}")
print(f"mean {total / 6:.5f}")
print(w.grad)
print(g_init.initial_seed(), torch.multinomial(torch.tensor([0.1, 0.6, 0.3]), 5, replacement=True, generator=g_init))
