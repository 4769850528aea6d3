import sys


def debug(msg, t=None):
    caller = sys._getframe(1)
    info = f"[{caller.f_code.co_name}:{caller.f_lineno}] {msg}"
    if t is not None:
        info += f" shape={tuple(t.shape)} mean={t.mean().item():.4f}"
    print(info)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 5)
        self.b = nn.Linear(5, 2)

    def forward(self, x):
        h = torch.relu(self.a(x))
        debug("hidden", h)
        out = self.b(h)
        debug("logits", out)
        return out


def train_step(net, x, y):
    logits = net(x)
    loss = F.cross_entropy(logits, y)
    debug("loss", loss)
    loss.backward()
    return loss


torch.manual_seed(4)
net = Net()
x = torch.randn(6, 3)
y = torch.tensor([0, 1, 1, 0, 1, 0])
loss = train_step(net, x, y)
debug("top level", net.a.weight.grad)
print(sys._getframe().f_code.co_name)
