import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(35)
model = nn.Linear(4, 3)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
x = torch.randn(2, 4)
probs = F.softmax(model(x))
target = torch.randn(2)
loss = F.mse_loss(probs.sum(dim=1, keepdim=True), target)
loss.backward()
sched.step()
opt.step()
print(probs.sum(dim=1), sched.get_last_lr())
print(model.bias.grad)
