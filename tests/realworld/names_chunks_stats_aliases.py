torch.manual_seed(30)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 6)
        self.fc2 = nn.Linear(3, 1)

    def forward(self, x):
        h = self.fc1(x)
        gate, value = h.chunk(2, dim=-1)
        self.last_gate = gate
        return self.fc2(torch.sigmoid(gate) * value)


model = MLP()
W = model.fc1.weight
x = torch.randn(5, 4)
out = model(x)
parts = out.split([2, 3])
stats = {"mean": out.mean(), "std": out.std()}
loss = stats["mean"] ** 2 + stats["std"]
gate = model.last_gate
gate.retain_grad()
loss.backward()
print(W.grad.shape, parts[0].shape, gate.grad.shape)
print(model.fc2.weight.grad)
