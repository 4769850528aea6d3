import torch
import torch.nn as nn

init = torch.zeros(3)
p = nn.Parameter(init)          # shares init's memory
print(p.data_ptr() == init.data_ptr())
opt = torch.optim.SGD([p], lr=0.5)
target = torch.tensor([1.0, 2.0, 3.0])
for _ in range(3):
    loss = ((p - target) ** 2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(init)                     # moved with p
print(p)
del p.grad
print(p.grad)
row = p[:2]
with torch.no_grad():
    init.mul_(2)
print(row, p)
