# A Kalman filter whose process and measurement noise are learned by the negative log-likelihood of the
# innovations (a constant-velocity model), with torch.linalg.solve and slogdet in the loop.
torch.manual_seed(0)
dt = 0.1
A = torch.tensor([[1.0, dt], [0.0, 1.0]])
Hm = torch.tensor([[1.0, 0.0]])
true_pos = torch.cumsum(torch.full((12,), 0.5 * dt), 0)
obs = true_pos + 0.05 * torch.randn(12)
log_q = torch.tensor(-3.0, requires_grad=True)
log_r = torch.tensor(-2.0, requires_grad=True)
opt = torch.optim.Adam([log_q, log_r], lr=0.1)
for epoch in range(3):
    Q = torch.exp(log_q) * torch.eye(2)
    R = torch.exp(log_r) * torch.eye(1)
    x = torch.zeros(2, 1)
    P = torch.eye(2)
    nll = torch.zeros(())
    for z in obs:
        x = A @ x
        P = A @ P @ A.T + Q
        S = Hm @ P @ Hm.T + R
        innov = z.view(1, 1) - Hm @ x
        K = torch.linalg.solve(S, Hm @ P).T
        x = x + K @ innov
        P = (torch.eye(2) - K @ Hm) @ P
        nll = nll + 0.5 * (innov.T @ torch.linalg.solve(S, innov)).squeeze() + 0.5 * torch.linalg.slogdet(S)[1]
    opt.zero_grad()
    nll.backward()
    opt.step()
    print(epoch, f"{nll.item():.4f}", f"{log_q.item():.4f}", f"{log_r.item():.4f}")
print(x.squeeze(), log_q.grad, log_r.grad)
