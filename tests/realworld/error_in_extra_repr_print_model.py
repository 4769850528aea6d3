torch.manual_seed(153)


class Gate(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.w = nn.Parameter(torch.randn(d))

    def forward(self, x):
        return x * torch.sigmoid(self.w)

    def extra_repr(self):
        return "d={}".format(self.d)


model = nn.Sequential(nn.Linear(3, 3), Gate(3))
loss = model(torch.randn(2, 3)).sum()
loss.backward()
print(model[1].w.grad)
print(model)
