# Trajectory optimisation: the actions of a point mass are parameters, the dynamics unrolled with torch.stack,
# actions clamped to the actuator limits, a terminal cost and an effort cost, Adam on the actions.
torch.manual_seed(0)
T, dt = 10, 0.2
actions = torch.zeros(T, 2, requires_grad=True)
goal = torch.tensor([1.0, -0.5])
opt = torch.optim.Adam([actions], lr=0.2)
for it in range(5):
    pos, vel = torch.zeros(2), torch.zeros(2)
    path = []
    for t in range(T):
        u = actions[t].clamp(-1.0, 1.0)
        vel = vel + dt * u - 0.1 * dt * vel
        pos = pos + dt * vel
        path.append(pos)
    path = torch.stack(path)
    terminal = (path[-1] - goal).pow(2).sum() + 0.1 * vel.pow(2).sum()
    effort = 1e-2 * actions.pow(2).sum()
    cost = terminal + effort
    opt.zero_grad()
    cost.backward()
    opt.step()
    print(it, f"{cost.item():.5f}", [round(v, 3) for v in path[-1].tolist()])
print(actions.grad[:3])
