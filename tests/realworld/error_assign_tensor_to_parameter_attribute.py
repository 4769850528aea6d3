import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 2)
x = torch.randn(4, 3)
loss = model(x).pow(2).mean()
loss.backward()
print(model.weight.grad.shape)
new_weight = model.weight.detach() - 0.1 * model.weight.grad
model.weight.data = new_weight  # fine: .data swaps the values
print(model.weight.is_leaf, type(model.weight).__name__)
model.weight = new_weight * 1.0  # a plain tensor where a Parameter lives: TypeError
