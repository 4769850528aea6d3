torch.manual_seed(0)
target = torch.tensor([0.5, -1.5, 2.0])

def objective(p):
    return ((p - target) ** 2).sum() + 0.1 * torch.sin(5 * p).sum()

best = torch.zeros(3)
best_val = objective(best)
with torch.no_grad():
    for it in range(2500):
        cand = best + 0.1 * torch.randn(3)
        val = objective(cand)
        if val < best_val:
            best, best_val = cand, val
print("best", best, round(best_val.item(), 4))
p = best.clone().requires_grad_()
objective(p).backward()
print("grad at best", p.grad)
