torch.manual_seed(23)
w = torch.randn(3, requires_grad=True)
h = torch.ones(3)
for t in range(3):
    h = torch.tanh(h * w + t)
y = h.sum()
y.backward()
for name, g in [("w", w.grad)]:
    print(name, g)
grads = [w.grad.clone()]
