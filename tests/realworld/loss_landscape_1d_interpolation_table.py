# Goodfellow et al. (2015)-style 1-D loss interpolation between the initial and trained weights
import copy

torch.manual_seed(0)
X = torch.randn(64, 2)
y = (X[:, 0] * X[:, 1] > 0).long()
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
init_state = copy.deepcopy(model.state_dict())
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(30):
    loss = F.cross_entropy(model(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
final_state = copy.deepcopy(model.state_dict())
print(f"trained loss {loss.item():.4f}")

probe = copy.deepcopy(model)
print(f"{'alpha':>6} | {'loss':>8} | {'acc':>6} | {'|grad|':>8}")
print("-" * 37)
for alpha in torch.linspace(-0.25, 1.25, 7):
    mixed = {k: (1 - alpha) * init_state[k] + alpha * final_state[k] for k in init_state}
    probe.load_state_dict(mixed)
    probe.zero_grad()
    out = probe(X)
    l = F.cross_entropy(out, y)
    l.backward()
    gnorm = torch.sqrt(sum((p.grad ** 2).sum() for p in probe.parameters()))
    acc = (out.argmax(1) == y).float().mean()
    print(f"{alpha.item():>6.2f} | {l.item():>8.4f} | {acc.item():>6.1%} | {gnorm.item():>8.4f}")
