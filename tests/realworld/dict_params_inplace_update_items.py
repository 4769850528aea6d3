torch.manual_seed(0)
w = torch.randn(3, 2, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
weights = {"w": w, "b": b}
x = torch.randn(4, 3)
labels = torch.tensor([0, 1, 1, 0])
for epoch in range(3):
    logits = x @ weights["w"] + weights["b"]
    log_probs = logits.log_softmax(dim=1)
    nll = -log_probs.gather(1, labels[:, None]).mean()
    nll.backward()
    for name, v in weights.items():
        v.data.add_(v.grad.data, alpha=-0.3)
        v.grad.data.zero_()
    print(epoch, round(nll.item(), 5), {k: tuple(t.shape) for k, t in weights.items()})
print(w, b)
print(torch.allclose(nll, F.nll_loss(log_probs, labels)))
