torch.manual_seed(87)
w = torch.randn(3, requires_grad=True)
candidates = [w * k for k in (0.5, -1.0, 2.0, 0.1)]
scores = [c.sum() for c in candidates]
ranked = sorted(scores, key=lambda s: s.item())
best = max(scores, key=lambda s: s.item())
print([round(s.item(), 4) for s in ranked])
top2 = ranked[-1] + ranked[-2]
top2.backward()
print(w.grad)
print(best is ranked[-1])
