import argparse
import torch
import torch.nn as nn

args = argparse.Namespace(epochs=130, layers=3, lr=0.05)

class Deep(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.n_layers = n
        self.lins = nn.ModuleList([nn.Linear(4, 4) for _ in range(n)])

    def forward(self, x):
        for i in range(self.n_layers):
            x = torch.tanh(self.lins[i](x))
        return x.sum(-1)

torch.manual_seed(0)
model = Deep(args.layers)
opt = torch.optim.SGD(model.parameters(), lr=args.lr)
data = torch.randn(6, 4)
target = torch.randn(6)
for epoch in range(args.epochs):
    out = model(data)
    loss = (out - target).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(out, loss)
