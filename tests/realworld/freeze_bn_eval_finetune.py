import torch
import torch.nn as nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
head = nn.Linear(8, 4)
model = nn.Sequential(backbone, head)

def set_bn_eval(m):
    if isinstance(m, nn.BatchNorm2d):
        m.eval()
        for p in m.parameters():
            p.requires_grad_(False)

model.train()
model.apply(set_bn_eval)
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
x = torch.randn(4, 3, 6, 6)
y = torch.randint(0, 4, (4,))
before = backbone[1].running_mean.clone()
for _ in range(2):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(torch.equal(before, backbone[1].running_mean), backbone[1].weight.grad)
print([n for n, p in model.named_parameters() if p.requires_grad])
print(head.weight.grad.abs().sum() > 0, loss)
