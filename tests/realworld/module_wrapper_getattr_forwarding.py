import torch
import torch.nn as nn

class ModelWrapper(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.module, name)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.num_classes = 2

    def features(self, x):
        return torch.tanh(self.fc(x))

    def forward(self, x):
        return self.features(x).sum(-1)

torch.manual_seed(0)
wrapped = ModelWrapper(Net())
x = torch.randn(3, 2)
out = wrapped(x)
feats = wrapped.features(x)
print(wrapped.num_classes, wrapped.fc.weight.shape)
(out.sum() + feats.mean()).backward()
print(wrapped.module.fc.weight.grad)
