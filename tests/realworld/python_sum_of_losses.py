torch.manual_seed(8)
model = nn.Linear(2, 1)
batches = [torch.randn(4, 2) for _ in range(3)]
targets = [torch.randn(4, 1) for _ in range(3)]
losses = []
for xb, yb in zip(batches, targets):
    losses.append(F.mse_loss(model(xb), yb))
total = sum(losses)
print(type(total).__name__, total.grad_fn.name())
total.backward()
print(model.weight.grad, model.bias.grad)
per_sample = torch.stack([F.l1_loss(model(xb), yb) for xb, yb in zip(batches, targets)])
model.zero_grad()
per_sample.mean().backward()
print(per_sample.shape, model.bias.grad)
