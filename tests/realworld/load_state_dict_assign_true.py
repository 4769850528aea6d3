# load_state_dict(assign=True): the module takes the loaded tensors themselves (meta-device init pattern)
import torch
import torch.nn as nn

torch.manual_seed(17)
src = nn.Linear(3, 2)
with torch.device("meta"):
    model = nn.Linear(3, 2)
sd = {k: v.detach().clone() for k, v in src.state_dict().items()}
model.load_state_dict(sd, assign=True)
print(model.weight.is_meta, type(model.weight).__name__, model.weight.requires_grad)
x = torch.randn(4, 3)
loss = model(x).pow(2).mean()
loss.backward()
print(model.weight.grad)
print(sd["bias"] is model.bias, sd["weight"].grad is None)
