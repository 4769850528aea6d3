# the classic: forgetting super().__init__()
torch.manual_seed(0)

class Good(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, x):
        return self.fc(x)

good = Good()
out = good(torch.ones(1, 2))
out.sum().backward()
print(out, good.fc.weight.grad)

class Bad(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(2, 1)

bad = Bad()
