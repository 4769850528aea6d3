import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forwad(self, x):  # typo
        return self.fc(x)

net = Net()
x = torch.randn(3, 4)
print("params:", sum(p.numel() for p in net.parameters()))
out = net(x)
print(out)
