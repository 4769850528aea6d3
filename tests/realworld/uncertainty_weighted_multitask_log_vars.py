import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiTaskLoss(nn.Module):
    def __init__(self, n_tasks):
        super().__init__()
        self.log_vars = nn.Parameter(torch.zeros(n_tasks))

    def forward(self, *losses):
        total = 0
        for i, loss in enumerate(losses):
            precision = torch.exp(-self.log_vars[i])
            total = total + precision * loss + self.log_vars[i]
        return total


torch.manual_seed(4)
trunk = nn.Linear(5, 8)
reg_head, cls_head = nn.Linear(8, 1), nn.Linear(8, 3)
criterion = MultiTaskLoss(2)
params = [*trunk.parameters(), *reg_head.parameters(), *cls_head.parameters(), *criterion.parameters()]
opt = torch.optim.Adam(params, lr=0.05)
x = torch.randn(6, 5)
y_reg, y_cls = torch.randn(6, 1), torch.randint(0, 3, (6,))
for step in range(4):
    h = F.relu(trunk(x))
    l_reg = F.mse_loss(reg_head(h), y_reg)
    l_cls = F.cross_entropy(cls_head(h), y_cls)
    loss = criterion(l_reg, l_cls)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(criterion.log_vars, criterion.log_vars.grad)
print(torch.exp(-criterion.log_vars).tolist())
