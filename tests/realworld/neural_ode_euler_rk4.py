import torch
import torch.nn as nn

torch.manual_seed(21)


class ODEFunc(nn.Module):
    def __init__(self, dim=2, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.Tanh(), nn.Linear(hidden, dim))
        self.nfe = 0
        for m in self.net.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0, std=0.1)
                nn.init.constant_(m.bias, val=0)

    def forward(self, t, y):
        self.nfe += 1
        return self.net(y ** 3)


def euler_step(func, t, dt, y):
    return y + dt * func(t, y)


def rk4_step(func, t, dt, y):
    k1 = func(t, y)
    k2 = func(t + dt / 2, y + dt * k1 / 2)
    k3 = func(t + dt / 2, y + dt * k2 / 2)
    k4 = func(t + dt, y + dt * k3)
    return y + dt * (k1 + 2 * k2 + 2 * k3 + k4) / 6


def odeint(func, y0, t, method="rk4"):
    step = {"euler": euler_step, "rk4": rk4_step}[method]
    ys = [y0]
    y = y0
    for i in range(len(t) - 1):
        y = step(func, t[i], t[i + 1] - t[i], y)
        ys.append(y)
    return torch.stack(ys)


# ground truth: a spiral dy/dt = (y^3) A
true_y0 = torch.tensor([[2.0, 0.0]])
t = torch.linspace(0.0, 1.0, 6)
true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])


class Lambda(nn.Module):
    def forward(self, t, y):
        return torch.mm(y ** 3, true_A)


with torch.no_grad():
    true_y = odeint(Lambda(), true_y0, t, method="rk4")
print("true trajectory shape", tuple(true_y.shape))


def get_batch(batch_time=3, batch_size=4):
    s = torch.randint(0, len(t) - batch_time, (batch_size,))
    batch_y0 = true_y[s]
    batch_t = t[:batch_time]
    batch_y = torch.stack([true_y[s + i] for i in range(batch_time)], dim=0)
    return batch_y0, batch_t, batch_y


func = ODEFunc()
optimizer = torch.optim.RMSprop(func.parameters(), lr=1e-3)
for itr in range(1, 7):
    optimizer.zero_grad()
    batch_y0, batch_t, batch_y = get_batch()
    pred_y = odeint(func, batch_y0, batch_t, method="euler" if itr % 2 else "rk4")
    loss = torch.mean(torch.abs(pred_y - batch_y))
    loss.backward()
    optimizer.step()
    if itr % 3 == 0:
        with torch.no_grad():
            full = odeint(func, true_y0, t)
            test_loss = torch.mean(torch.abs(full - true_y))
        print("Iter {:04d} | Total Loss {:.6f} | NFE {}".format(itr, test_loss.item(), func.nfe))

# gradient of the final state with respect to the initial state (the adjoint at t=0)
y0 = true_y0.clone().requires_grad_()
yT = odeint(func, y0, t, method="euler")[-1]
yT.sum().backward()
print("dL/dy0:", [round(v, 5) for v in y0.grad.flatten().tolist()])
