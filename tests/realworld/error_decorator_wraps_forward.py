import functools


def check_finite(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if not torch.isfinite(out).all():
            raise FloatingPointError(f"{fn.__name__} produced non-finite values")
        return out
    return wrapper


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    @check_finite
    def forward(self, x):
        return self.fc(x).log()


torch.manual_seed(190)
net = Net()
with torch.no_grad():
    net.fc.bias.fill_(5.0)
out = net(torch.randn(3, 2) * 0.1)
out.sum().backward()
print(net.fc.bias.grad)
with torch.no_grad():
    net.fc.bias.fill_(-5.0)
out = net(torch.randn(3, 2) * 0.1)
