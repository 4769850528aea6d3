torch.manual_seed(38)
w = torch.randn(2, requires_grad=True)
history = {"train": [], "grads": {}}
pairs = [(w * 2, w + 1), (w.exp(), w.sin())]
for i in range(2):
    loss = (w * (i + 1)).pow(2).sum()
    loss.backward()
    history["train"].append(loss.detach())
    history["grads"][i] = w.grad.clone()
    w.grad = None
results = {"first": pairs[0][0], "last": pairs[-1][1]}
print([round(t.item(), 3) for t in history["train"]], results["last"])
