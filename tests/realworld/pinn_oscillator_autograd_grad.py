"""Physics-informed network for u'' + w^2 u = 0, u(0) = 1, u'(0) = 0 on [0, 1]: derivatives of the output with
respect to the input through torch.autograd.grad(create_graph=True)."""
import math

import torch
import torch.nn as nn

torch.manual_seed(0)
OMEGA = 2.0


class PINN(nn.Module):
    def __init__(self, width=12, depth=2):
        super().__init__()
        layers = [nn.Linear(1, width), nn.Tanh()]
        for _ in range(depth - 1):
            layers += [nn.Linear(width, width), nn.Tanh()]
        layers.append(nn.Linear(width, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, t):
        return self.net(t)


def derivatives(model, t):
    t = t.clone().requires_grad_(True)
    u = model(t)
    du = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, t, grad_outputs=torch.ones_like(du), create_graph=True)[0]
    return u, du, d2u


def pinn_loss(model, t_col, t0):
    _, _, d2u = derivatives(model, t_col)
    u_col = model(t_col)
    residual = d2u + OMEGA**2 * u_col
    u0, du0, _ = derivatives(model, t0)
    loss_pde = residual.pow(2).mean()
    loss_ic = (u0 - 1.0).pow(2).sum() + du0.pow(2).sum()
    return loss_pde, loss_ic


model = PINN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
t_col = torch.linspace(0, 1, 9).unsqueeze(1)
t0 = torch.zeros(1, 1)
history = []
for epoch in range(12):
    optimizer.zero_grad()
    loss_pde, loss_ic = pinn_loss(model, t_col, t0)
    loss = loss_pde + 10.0 * loss_ic
    loss.backward()
    optimizer.step()
    history.append(loss.item())
    if epoch % 4 == 0:
        print(f"epoch {epoch:2d}  pde {loss_pde.item():.5f}  ic {loss_ic.item():.5f}  total {loss.item():.5f}")

# a few L-BFGS steps to finish, as PINN papers do
lbfgs = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=4, history_size=5, line_search_fn="strong_wolfe")


def closure():
    lbfgs.zero_grad()
    pde, ic = pinn_loss(model, t_col, t0)
    total = pde + 10.0 * ic
    total.backward()
    return total


final = lbfgs.step(closure)
print("after lbfgs:", f"{final.item():.5f}", "decreased:", final.item() < history[0])

# compare with the exact solution and check the derivative at a test point
t_test = torch.tensor([[0.5]], requires_grad=True)
u_test = model(t_test)
(du_dt,) = torch.autograd.grad(u_test.sum(), t_test, create_graph=True)
exact = math.cos(OMEGA * 0.5)
print(f"u(0.5)={u_test.item():.4f} exact={exact:.4f} du/dt={du_dt.item():.4f}")
du_dt.sum().backward()
print(t_test.grad is not None)
