x = torch.tensor(1.5, requires_grad=True)
steps = []
h = x
while h.item() < 20:
    if h.item() > 3:
        h = h * 2
    else:
        h = h ** 2 + 1
    steps.append(round(h.item(), 3))
loss = h.log()
loss.backward()
print(steps, x.grad)
a = torch.tensor([0.3, -0.2], requires_grad=True)
b = a.relu().sum() if a[0] > 0 else a.abs().sum()
b.backward()
print(bool(a.grad.any()), a.grad)
