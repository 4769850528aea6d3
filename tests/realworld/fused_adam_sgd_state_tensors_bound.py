# Fused Adam and fused SGD with momentum on CPU, their state tensors kept in names between steps for inspection
import torch
import torch.nn as nn

torch.manual_seed(34)
model = nn.Linear(3, 2)
head = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05, fused=True)
opt_head = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9, fused=True)
x = torch.randn(6, 3)
for step in range(3):
    opt.zero_grad()
    opt_head.zero_grad()
    loss = head(torch.tanh(model(x))).pow(2).mean()
    loss.backward()
    opt.step()
    opt_head.step()
    if step == 0:
        exp_avg = opt.state[model.weight]["exp_avg"]
        exp_avg_sq = opt.state[model.weight]["exp_avg_sq"]
        momentum = opt_head.state[head.weight]["momentum_buffer"]
        step_count = opt.state[model.bias]["step"]
print(step_count, exp_avg)
print(exp_avg_sq, momentum)
