import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


torch.manual_seed(1)
model = MLP()
example = (torch.randn(3, 4),)
ep = torch.export.export(model, example)
print(type(ep).__name__)
print([n.name for n in ep.graph.nodes if n.op == "call_function"])
exported = ep.module()
x = torch.randn(3, 4)
print(torch.allclose(exported(x), model(x)))
out = model(x)
loss = out.logsumexp(dim=1).mean()
loss.backward()
print(loss)
print(model.fc1.weight.grad.sum(), model.fc2.bias.grad)
