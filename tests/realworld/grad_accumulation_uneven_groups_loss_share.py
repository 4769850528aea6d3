# Gradient accumulation where the last group is short: scale each micro-batch loss by its share of the group
torch.manual_seed(12)
model = nn.Linear(3, 1)
ref = nn.Linear(3, 1)
ref.load_state_dict(model.state_dict())
X, Y = torch.randn(10, 3), torch.randn(10, 1)
micro, accum = 2, 3
opt = torch.optim.SGD(model.parameters(), lr=0.1)
batches = list(zip(X.split(micro), Y.split(micro)))
groups = [batches[i : i + accum] for i in range(0, len(batches), accum)]
for g, group in enumerate(groups):
    n = sum(len(xb) for xb, _ in group)
    opt.zero_grad()
    for xb, yb in group:
        loss = F.mse_loss(model(xb), yb, reduction="sum") / n
        loss.backward()
    print(f"group {g}: {len(group)} micro-batches, {n} samples, grad {model.weight.grad.flatten().tolist()}")
    opt.step()

ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1)
start = 0
for group in groups:
    n = sum(len(xb) for xb, _ in group)
    ref_opt.zero_grad()
    F.mse_loss(ref(X[start : start + n]), Y[start : start + n]).backward()
    ref_opt.step()
    start += n
print(torch.allclose(model.weight, ref.weight, atol=1e-6), torch.allclose(model.bias, ref.bias, atol=1e-6))
