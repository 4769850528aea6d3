import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(5, 3)
out = net(x)
loss1 = out.pow(2).mean()
loss2 = (out - 1).abs().mean()
opt.zero_grad()
loss1.backward(retain_graph=True)
opt.step()
print("first step done", f"{loss1.item():.4f}")
loss2.backward()
opt.step()
