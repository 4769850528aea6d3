import torch
import torch.nn as nn

torch.manual_seed(7)
net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
batch = torch.randn(5, 4)
out = net(batch)
out.sum().backward()
print(net[1].running_mean.abs().sum() > 0, net[1].num_batches_tracked)
net.eval()
print(net(torch.randn(1, 4)).shape)
net.train()
single = torch.randn(1, 4)
net(single)  # one value per channel in training mode
