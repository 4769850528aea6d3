import torch
import torch.nn as nn
from torch.export import Dim, export


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 3)

    def forward(self, x):
        return self.proj(x).log_softmax(-1)


torch.manual_seed(0)
head = Head()
batch = Dim("batch", min=2, max=64)
ep = export(head, (torch.randn(4, 8),), dynamic_shapes={"x": {0: batch}})
print(ep.graph_signature.user_inputs)
run = ep.module()
for n in (2, 5):
    x = torch.randn(n, 8)
    print(n, torch.allclose(run(x), head(x), atol=1e-6))
x = torch.randn(5, 8)
nll = -head(x)[torch.arange(5), torch.tensor([0, 1, 2, 0, 1])].mean()
nll.backward()
print(nll, head.proj.bias.grad)
