import torch
import torch.nn as nn

calls = []


class Adapter(nn.Module):
    """Only the adapter's own weights are handed to the optimizer: parameters() is overridden."""

    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(3, 3)
        self.adapter = nn.Linear(3, 2)
        self.backbone.requires_grad_(False)

    def parameters(self, recurse=True):
        calls.append("parameters")
        print("parameters() called")
        return (p for p in super().parameters(recurse) if p.requires_grad)

    def named_parameters(self, *args, **kwargs):
        calls.append("named_parameters")
        print("named_parameters() called")
        return super().named_parameters(*args, **kwargs)

    def named_modules(self, *args, **kwargs):
        print("named_modules() called")
        return super().named_modules(*args, **kwargs)

    def state_dict(self, *args, **kwargs):
        print("state_dict() called")
        return super().state_dict(*args, **kwargs)

    def children(self):
        print("children() called")
        return super().children()

    def forward(self, x):
        return self.adapter(torch.relu(self.backbone(x)))


torch.manual_seed(0)
model = Adapter()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
print(len(opt.param_groups[0]["params"]))
x = torch.randn(4, 3)
loss = model(x).pow(2).sum()
loss.backward()
opt.step()
print(model.backbone.weight.grad, model.adapter.bias.grad)
print(calls)
