import torch


class Tracked:
    def __init__(self):
        object.__setattr__(self, "log", [])
        self.w = torch.randn(3, requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def __getattribute__(self, name):
        if not name.startswith("_") and name != "log":
            object.__getattribute__(self, "log").append(name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        print("set", name)
        object.__setattr__(self, name, value)

    @property
    def norm(self):
        print("norm computed")
        return self.w.norm()

    def __eq__(self, other):
        print("eq called")
        return self is other

    __hash__ = object.__hash__

    def __len__(self):
        print("len called")
        return 2

    def __iter__(self):
        print("iter called")
        yield self.w
        yield self.b

    def __repr__(self):
        print("repr called")
        return "Tracked()"


torch.manual_seed(1)
params = Tracked()
x = torch.randn(5, 3)
out = x @ params.w + params.b
loss = out.pow(2).mean()
loss.backward()
print(params.norm.item() > 0, params.log)
registry = {params: "main"}
print(params.w.grad)
