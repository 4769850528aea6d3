# The last slice of a dataset is empty (x[8:] of 8 rows): zero-size tensors through a model, a mean over nothing
# (nan), a sum over nothing (0), cross-entropy of an empty batch, and the gradients that come back.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
X = torch.randn(8, 3)
y = torch.randint(0, 2, (8,))
for start in range(0, 12, 4):
    xb, yb = X[start : start + 4], y[start : start + 4]
    logits = model(xb)
    loss = F.cross_entropy(logits, yb, reduction="sum") / max(len(xb), 1)
    loss.backward()
    print(start, tuple(xb.shape), tuple(logits.shape), f"{loss.item():.4f}")
empty = torch.zeros(0, 3, requires_grad=True)
out = model(empty)
mean_nothing = out.mean()
sum_nothing = out.sum()
ce_empty = F.cross_entropy(out, torch.zeros(0, dtype=torch.long))
(sum_nothing + out.pow(2).sum()).backward()
print(out.shape, mean_nothing, sum_nothing, ce_empty)
print(empty.grad, empty.grad.shape)
print(model[0].weight.grad)
stacked = torch.cat([torch.empty(0, 2), model(X[:2])])
print(stacked.shape, torch.zeros(0).numel())
