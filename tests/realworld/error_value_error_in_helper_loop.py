class Normalizer(nn.Module):
    def __init__(self, eps=1e-5):
        super().__init__()
        self.eps = eps

    def forward(self, x):
        check_finite(x)
        return (x - x.mean()) / (x.std() + self.eps)


def check_finite(t):
    if not torch.isfinite(t).all():
        raise ValueError(f"non-finite input with {int((~torch.isfinite(t)).sum())} bad values")


torch.manual_seed(67)
norm = Normalizer()
w = torch.randn(4, requires_grad=True)
inputs = [torch.randn(4), torch.randn(4), torch.tensor([1.0, float("inf"), 2.0, 3.0])]
total = 0.0
for i, inp in enumerate(inputs):
    y = norm(inp * w)
    loss = y.pow(3).sum()
    loss.backward()
    total += loss.item()
    print(i, w.grad.norm().item() > 0)
