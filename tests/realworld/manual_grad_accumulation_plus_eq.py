torch.manual_seed(10)
w = torch.randn(3, requires_grad=True)
acc = torch.zeros(3)
for step in range(3):
    loss = (w * (step + 1)).pow(2).sum()
    g, = torch.autograd.grad(loss, w)
    acc += g
w.grad = acc.clone()
w.grad += 1.0
w.grad *= 0.5
print(w.grad)
loss = w.sum()
loss.backward()
print(w.grad)
