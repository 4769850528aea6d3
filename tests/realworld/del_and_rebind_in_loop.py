torch.manual_seed(47)
w = torch.randn(3, requires_grad=True)
history = []
for i in range(3):
    out = (w * (i + 1)).sum()
    history.append(out)
    tmp = out.detach()
    del out
total = torch.stack(history).sum()
total.backward()
del tmp
globals()["extra"] = w * 2
print(w.grad, extra)
