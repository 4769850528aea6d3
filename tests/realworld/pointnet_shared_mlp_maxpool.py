import torch
import torch.nn as nn


class PointNetTiny(nn.Module):
    def __init__(self, k=3):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 8, 1)
        self.conv2 = nn.Conv1d(8, 16, 1)
        self.bn1 = nn.BatchNorm1d(8)
        self.fc = nn.Linear(16, k)

    def forward(self, pts):
        x = pts.transpose(2, 1)
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.conv2(x)
        x, crit_idx = torch.max(x, 2, keepdim=False)
        return self.fc(x), crit_idx


torch.manual_seed(12)
net = PointNetTiny()
cloud = torch.randn(2, 10, 3)
net.eval()
out1, critical = net(cloud)
perm = torch.randperm(10)
out2, _ = net(cloud[:, perm, :])
print("permutation invariant:", torch.allclose(out1, out2, atol=1e-6))
net.train()
logits, critical = net(cloud)
loss = nn.CrossEntropyLoss()(logits, torch.tensor([0, 2]))
loss.backward()
print(critical.shape, net.conv1.weight.grad.abs().sum() > 0)
