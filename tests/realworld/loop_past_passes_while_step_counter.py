# Train until a step budget with a while loop (no break), then inspect what is left bound.
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.linspace(-1, 1, 32).unsqueeze(1)
Y = X.pow(3) - 0.5 * X
model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.02)
step, max_steps = 0, 150
while step < max_steps:
    pred = model(X)
    loss = ((pred - Y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    step += 1
    if step % 50 == 0:
        print(f"step {step:4d} loss {loss.item():.6f}")
print("final", loss.item(), pred.shape)
