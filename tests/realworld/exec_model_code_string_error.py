import torch
from torch import nn

code = """
class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)

    def forward(self, x):
        return torch.relu(self.lin(x)) + x

def make(d, n):
    return nn.Sequential(*[Block(d) for _ in range(n)])
"""
scope = {"nn": nn, "torch": torch}
exec(code, scope)
torch.manual_seed(3)
net = scope["make"](4, 2)
x = torch.randn(2, 4)
y = net(x)
y.sum().backward()
print(net[0].lin.weight.grad.shape, round(y.sum().item(), 4))
bad = torch.randn(2, 5)
net(bad)  # the error is raised inside the exec'd code; Python reports this line here
print("not reached")
