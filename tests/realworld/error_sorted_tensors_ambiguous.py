torch.manual_seed(188)
scores = [torch.randn(2, requires_grad=True) for _ in range(3)]
best = max(scores, key=lambda s: s.sum().item())
best.sum().backward()
print(best.grad)
ranked = sorted(scores)
