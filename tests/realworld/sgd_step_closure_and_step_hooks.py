import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
x, y = torch.randn(10, 3), torch.randn(10, 1)
steps_seen = []

def after_step(optimizer, args, kwargs):
    steps_seen.append(optimizer.param_groups[0]["lr"])
    print("post step hook, grad norm", round(model.weight.grad.norm().item(), 4))

handle = opt.register_step_post_hook(after_step)

def closure():
    opt.zero_grad()
    out = model(x)
    loss = nn.functional.mse_loss(out, y)
    loss.backward()
    return loss

for i in range(3):
    loss = opt.step(closure)
    print(i, round(loss.item(), 5))
handle.remove()
last = opt.step(closure)
print(len(steps_seen), last)
print(model.weight.grad)
