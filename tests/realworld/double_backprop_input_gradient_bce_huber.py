# Double backpropagation (Drucker & LeCun 1992): penalize the input-gradient of the loss.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
clf = nn.Sequential(nn.Linear(3, 5), nn.Softplus(), nn.Linear(5, 1))
reg = nn.Sequential(nn.Linear(3, 5), nn.Hardswish(), nn.Linear(5, 1))
x = torch.randn(6, 3, requires_grad=True)
y_bin = torch.randint(0, 2, (6, 1)).float()
y_reg = torch.randn(6, 1)

p = torch.sigmoid(clf(x))
bce = F.binary_cross_entropy(p, y_bin)
huber = F.huber_loss(reg(x), y_reg, delta=0.5)
sl1 = F.smooth_l1_loss(reg(x), y_reg, beta=0.3)
total = bce + huber + sl1
(gx,) = torch.autograd.grad(total, x, create_graph=True)
penalty = gx.pow(2).sum(1).mean()
(total + 0.1 * penalty).backward()
print(f"bce={bce.item():.4f} huber={huber.item():.4f} sl1={sl1.item():.4f} penalty={penalty.item():.5f}")
print(clf[0].weight.grad)
print(reg[2].bias.grad)
