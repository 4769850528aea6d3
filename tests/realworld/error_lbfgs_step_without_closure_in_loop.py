# Switching the optimizer to LBFGS mid-way but keeping the plain step() call: LBFGS needs a closure
import torch
import torch.nn as nn

torch.manual_seed(55)
model = nn.Linear(2, 1)
x, y = torch.randn(16, 2), torch.randn(16, 1)
optimizers = {"sgd": torch.optim.SGD(model.parameters(), lr=0.1), "lbfgs": torch.optim.LBFGS(model.parameters(), lr=0.5)}
for name in ["sgd", "lbfgs"]:
    opt = optimizers[name]
    for it in range(2):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        print(name, it, round(loss.item(), 4))
        opt.step()
