import torch
import torch.nn as nn

torch.manual_seed(71)
model = nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(4, 3)
for step in range(2):
    opt.zero_grad()
    model(x).sum().backward()
    opt.step()
# freeze the bias as a buffer, keep training the weight
bias_value = model.bias.detach().clone()
del model.bias
model.register_buffer("bias", bias_value)
opt = torch.optim.SGD([model.weight], lr=0.1)
opt.zero_grad()
out = model(x)
out.sum().backward()
opt.step()
print(dict(model.named_buffers()).keys(), [n for n, _ in model.named_parameters()])
print(model.bias, model.weight.grad)
