import torch.fx


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        h = self.fc(x)
        if h.sum() > 0:
            return torch.relu(h)
        return torch.tanh(h)


torch.manual_seed(0)
model = Gate()
x = torch.randn(2, 4)
loss = model(x).pow(2).sum()
loss.backward()
print("eager ok", model.fc.bias.grad)
traced = torch.fx.symbolic_trace(model)
print("never printed")
