# A learner's wrapper forwards unknown attributes with __getattr__, which reads self.model:
# asked for anything before self.model is set, it recurses until Python gives up.
import torch
import torch.nn as nn


class Wrapper(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.scale = self.out_features * 2.0  # meant model.out_features; self.model is not set yet
        self.model = model

    def __getattr__(self, name):
        return getattr(self.model, name)

    def forward(self, x):
        return self.model(x) * self.scale


net = nn.Linear(2, 1)
out = net(torch.ones(1, 2))
out.backward()
print("inner grad", net.weight.grad)
w = Wrapper(net)
print("never")
