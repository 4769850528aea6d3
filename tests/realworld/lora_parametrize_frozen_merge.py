import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as P

torch.manual_seed(0)

class LoRAParam(nn.Module):
    def __init__(self, fan_out, fan_in, rank=2, alpha=4.0):
        super().__init__()
        self.lora_A = nn.Parameter(torch.randn(rank, fan_in) * 0.1)
        self.lora_B = nn.Parameter(torch.zeros(fan_out, rank))
        self.scale = alpha / rank

    def forward(self, W):
        return W + (self.lora_B @ self.lora_A) * self.scale

layer = nn.Linear(4, 3)
layer.weight.requires_grad_(False)
layer.bias.requires_grad_(False)
P.register_parametrization(layer, "weight", LoRAParam(3, 4))

opt = torch.optim.AdamW([p for p in layer.parameters() if p.requires_grad], lr=1e-2)
x = torch.randn(5, 4)
y = torch.randn(5, 3)
for step in range(3):
    opt.zero_grad()
    out = layer(x)
    loss = F.mse_loss(out, y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5))

lora = layer.parametrizations.weight[0]
print(lora.lora_B.grad)
print(layer.parametrizations.weight.original.grad)
with torch.no_grad():
    P.remove_parametrizations(layer, "weight", leave_parametrized=True)
print(layer.weight.requires_grad, layer.weight.shape)
merged = layer(x)
print(torch.allclose(merged, out.detach(), atol=1e-1))
