import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        h = torch.relu(self.fc(x))
        return self(h) if h.sum() > -1e9 else h  # meant self.fc(h): recurses until Python gives up


x = torch.randn(2, 3, requires_grad=True)
block = Block()
try:
    y = block(x)
except RecursionError as e:
    print("RecursionError:", "maximum recursion depth" in str(e))  # (which call hits the limit, and so the rest of
    # the message, depends on how deep the snippet starts: in gradwalk, RECORDER_FRAMES deeper)
y = block.fc(x).sum()
y.backward()
print(x.grad.shape)
y2 = block(x)
