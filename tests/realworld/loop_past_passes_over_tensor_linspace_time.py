import torch

torch.manual_seed(0)
k = torch.tensor(0.5, requires_grad=True)
opt = torch.optim.SGD([k], lr=0.05)
for t in torch.linspace(0.0, 2.0, 120):  # iterating a tensor gives 0-d tensors
    target = torch.exp(-1.3 * t)
    pred = torch.exp(-k * t)
    loss = (pred - target) ** 2
    opt.zero_grad()
    loss.backward()
    opt.step()
print(round(k.item(), 4), t, pred)
print(k.grad)
