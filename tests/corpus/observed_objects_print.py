# Objects that print when looked at: the snippet's own lists, dicts, keys, classes and hooks. Plain Python prints
# only what the snippet asks for; observing the run must add nothing.
class LoudList(list):
    def __iter__(self):
        print("LoudList.__iter__")
        return super().__iter__()

    def __len__(self):
        print("LoudList.__len__")
        return super().__len__()


class LoudDict(dict):
    def items(self):
        print("LoudDict.items")
        return super().items()

    def values(self):
        print("LoudDict.values")
        return super().values()

    def __iter__(self):
        print("LoudDict.__iter__")
        return super().__iter__()


class LoudKey:
    def __repr__(self):
        print("LoudKey.__repr__")
        return "LoudKey()"

    def __hash__(self):
        return 1


class Disguised:
    @property
    def __class__(self):
        print("Disguised.__class__")
        return Disguised


class Hook:
    def __getattr__(self, name):
        print("Hook.__getattr__", name)
        raise AttributeError(name)

    def __call__(self, grad):
        return grad.clone()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 1)

    def forward(self, x):
        return self.fc(x)

    def parameters(self, recurse=True):
        print("Net.parameters")
        return super().parameters(recurse)


w = torch.ones(3, requires_grad=True)
params = LoudList([w])
state = LoudDict(w=w)
keyed = {LoudKey(): w}
disguised = Disguised()
net = Net()
w.register_hook(Hook())
parts = torch.stack(LoudList([w, w * 3]))
y = (parts.sum() + net(w).sum()) * 2
y.backward()
print("grad", w.grad.tolist())
