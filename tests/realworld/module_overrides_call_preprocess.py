class Normalized(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, 2)
        self.register_buffer("mean", torch.zeros(dim))

    def __call__(self, x, *args, **kwargs):
        x = x - self.mean
        return super().__call__(x, *args, **kwargs)

    def forward(self, x, scale=1.0):
        return self.fc(x) * scale


torch.manual_seed(0)
model = Normalized(3)
model.mean.fill_(0.5)
calls = []
model.register_forward_hook(lambda m, inp, out: calls.append(inp[0].mean().item()))
x = torch.randn(4, 3)
out = model(x, scale=2.0)
loss = out.square().mean()
loss.backward()
print([round(c, 4) for c in calls], out.shape)
print(model.fc.weight.grad)
