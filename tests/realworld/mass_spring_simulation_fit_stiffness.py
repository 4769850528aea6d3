# Differentiable physics: a damped mass-spring simulated with semi-implicit Euler; the stiffness and damping are fit
# to an observed trajectory by gradient descent through the whole simulation.
torch.manual_seed(0)


def simulate(k, c, steps=25, dt=0.05):
    x, v = torch.tensor(1.0), torch.tensor(0.0)
    xs = []
    for _ in range(steps):
        a = -k * x - c * v
        v = v + dt * a
        x = x + dt * v
        xs.append(x)
    return torch.stack(xs)


with torch.no_grad():
    observed = simulate(torch.tensor(4.0), torch.tensor(0.3))
log_k = torch.tensor(0.5, requires_grad=True)
log_c = torch.tensor(-2.0, requires_grad=True)
opt = torch.optim.Adam([log_k, log_c], lr=0.1)
for it in range(4):
    pred = simulate(log_k.exp(), log_c.exp())
    loss = F.mse_loss(pred, observed)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(it, f"{loss.item():.6f}", f"k={log_k.exp().item():.4f}", f"c={log_c.exp().item():.4f}")
print(log_k.grad, log_c.grad, pred[-1])
