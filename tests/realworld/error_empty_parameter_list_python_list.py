import torch
import torch.nn as nn

class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]  # not registered!

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x

model = MLP([4, 8, 2])
print(list(model.parameters()))
out = model(torch.randn(2, 4))
print(out.shape)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
