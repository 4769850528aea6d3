class RunningNorm(nn.Module):
    def __init__(self, dim, momentum=0.1):
        super().__init__()
        self.mean = nn.Buffer(torch.zeros(dim))
        self.var = nn.Buffer(torch.ones(dim))
        self.register_buffer("steps", torch.tensor(0), persistent=False)
        self.momentum = momentum

    def forward(self, x):
        if self.training:
            m, v = x.mean(0), x.var(0, unbiased=False)
            with torch.no_grad():
                self.mean.lerp_(m, self.momentum)
                self.var.lerp_(v, self.momentum)
                self.steps += 1
        else:
            m, v = self.mean, self.var
        return (x - m) / (v + 1e-5).sqrt()


torch.manual_seed(74)
norm = RunningNorm(3)
lin = nn.Linear(3, 1)
x = torch.randn(6, 3) * 2 + 1
for _ in range(2):
    loss = lin(norm(x)).pow(2).mean()
    loss.backward()
print(norm.mean, norm.var, norm.steps)
print(list(norm.state_dict()))
norm.eval()
print(norm(x[:2]))
print(lin.weight.grad)
