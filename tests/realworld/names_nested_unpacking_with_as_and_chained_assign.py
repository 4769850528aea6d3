# Names bound every way a script binds them at its top level: nested tuple unpacking of a model's outputs, a chained
# assignment (two names, one tensor), `with ... as`, a for loop's variables left bound after the loop, an augmented
# in-place update, and a name deleted then rebound.
import contextlib

torch.manual_seed(0)


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(3, 4)
        self.a = nn.Linear(4, 2)
        self.b = nn.Linear(4, 1)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return (self.a(h), self.b(h)), h


@contextlib.contextmanager
def scaled_input(x, s):
    yield x * s


model = TwoHeads()
inputs = targets = torch.randn(5, 3)
with scaled_input(inputs, 0.5) as small:
    (logits, value), hidden = model(small)
loss = logits.logsumexp(-1).mean() + value.pow(2).mean()
loss.backward()
for name, param in model.named_parameters():
    grad_norm = param.grad.norm()
acc = torch.zeros(())
acc += hidden.sum()
del hidden
hidden = acc * 2
print(name, f"{grad_norm:.4f}", f"{acc.item():.4f}", targets is inputs)
