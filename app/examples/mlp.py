# A small MLP classifier: every weight gets its gradient from the cross-entropy loss
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
inputs = torch.randn(5, 4)
targets = torch.tensor([0, 2, 1, 1, 0])

logits = model(inputs)
loss = F.cross_entropy(logits, targets)
loss.backward()

print(f"loss: {loss.item():.4f}")
print(model[0].weight.grad.shape)
