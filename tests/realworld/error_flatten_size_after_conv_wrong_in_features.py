# Hard-coding the Linear layer's in_features after the convolutions (computed for 32x32, fed 28x28)
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


torch.manual_seed(64)
net = Net()
ok = net(torch.randn(1, 1, 32, 32))
print(ok.shape)
mnist_batch = torch.randn(8, 1, 28, 28)
out = net(mnist_batch)
