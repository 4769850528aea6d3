class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    @property
    def scale(self):
        return self.lin.weight.norm() / self.missing

    def forward(self, x):
        return self.lin(x) * 2


torch.manual_seed(49)
model = Model()
out = model(torch.randn(1, 2)).sum()
out.backward()
print(model.lin.bias.grad)
s = model.scale
