import math

import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int = 2, alpha: int = 4):
        super().__init__()
        self.base = base
        self.base.weight.requires_grad = False
        self.base.bias.requires_grad = False
        self.lora_A = nn.Parameter(torch.zeros(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scaling

    def merge(self):
        with torch.no_grad():
            self.base.weight += (self.lora_B @ self.lora_A) * self.scaling


torch.manual_seed(5)
layer = LoRALinear(nn.Linear(6, 3))
trainable = sum(p.numel() for p in layer.parameters() if p.requires_grad)
total = sum(p.numel() for p in layer.parameters())
print(f"trainable params: {trainable} || all params: {total} || trainable%: {100 * trainable / total:.2f}")
opt = torch.optim.AdamW([p for p in layer.parameters() if p.requires_grad], lr=0.05)
x = torch.randn(4, 6)
y = torch.randn(4, 3)
for _ in range(3):
    out = layer(x)
    loss = nn.functional.mse_loss(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(layer.base.weight.grad, layer.lora_B.grad.abs().sum() > 0)
before = layer(x).detach()
layer.merge()
after = layer.base(x) + 0
print(torch.allclose(before, after + (x @ layer.lora_A.T @ layer.lora_B.T).detach() * layer.scaling, atol=1e-5))
