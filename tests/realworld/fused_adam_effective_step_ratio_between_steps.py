# Fused Adam/SGD: the effective update exp_avg / sqrt(exp_avg_sq) computed from the state between steps, as in an optimizer-debugging post
import torch
import torch.nn as nn

torch.manual_seed(48)
model = nn.Linear(3, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05, fused=True)
x, y = torch.randn(8, 3), torch.randn(8, 1)
ratios = []
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    st = opt.state[model.weight]
    ratio = st["exp_avg"] / (st["exp_avg_sq"].sqrt() + 1e-8)
    ratios.append(ratio)
    print(step, st["step"].item(), ratio.abs().max().item() <= 1.0 + 1e-6)
head = nn.Linear(1, 1)
sgd = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9, fused=True)
for _ in range(2):
    sgd.zero_grad()
    head(torch.ones(2, 1)).sum().backward()
    sgd.step()
    buf = sgd.state[head.weight]["momentum_buffer"]
    scaled = buf * 2
print(ratios[0], ratios[-1])
print(buf, scaled)
