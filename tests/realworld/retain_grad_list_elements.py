torch.manual_seed(83)
x = torch.randn(3, requires_grad=True)
acts = []
h = x
for k in range(3):
    h = torch.sin(h) * (k + 1)
    h.retain_grad()
    acts.append(h)
total = acts[-1].sum()
total.backward()
for i, a in enumerate(acts):
    print(i, a.grad)
print(x.grad)
