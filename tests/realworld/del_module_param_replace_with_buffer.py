# Freezing one parameter by deleting it and registering a buffer in its place, then training the rest
import torch
import torch.nn as nn

torch.manual_seed(26)
layer = nn.Linear(3, 2)
frozen_bias = layer.bias.detach().clone()
del layer.bias
layer.register_buffer("bias", frozen_bias)
opt = torch.optim.SGD(layer.parameters(), lr=0.5)
x, y = torch.randn(4, 3), torch.randn(4, 2)
for _ in range(2):
    opt.zero_grad()
    loss = nn.functional.mse_loss(layer(x), y)
    loss.backward()
    opt.step()
print([n for n, _ in layer.named_parameters()], [n for n, _ in layer.named_buffers()])
print(layer.bias, layer.weight.grad)
