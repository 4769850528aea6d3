# Inspecting Adam's state after two steps: printing the state dict, exp_avg tensors and step counters
import torch
import torch.nn as nn

torch.manual_seed(19)
layer = nn.Linear(2, 1)
opt = torch.optim.Adam(layer.parameters(), lr=0.1, betas=(0.8, 0.9))
x = torch.randn(3, 2)
for _ in range(2):
    opt.zero_grad()
    layer(x).sum().backward()
    opt.step()
sd = opt.state_dict()
print(sd["param_groups"][0]["betas"], sorted(sd["state"][0]))
print(sd["state"][0]["exp_avg"])
print(sd["state"][1]["exp_avg_sq"], sd["state"][1]["step"])
exp_avg = opt.state[layer.weight]["exp_avg"]
bias_corrected = exp_avg / (1 - 0.8 ** 2)
print(bias_corrected)
