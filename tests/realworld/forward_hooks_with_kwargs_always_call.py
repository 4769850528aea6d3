torch.manual_seed(158)


class Scaler(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)

    def forward(self, x, scale=1.0):
        return self.lin(x) * scale


m = Scaler()


def pre(module, args, kwargs):
    kwargs = dict(kwargs)
    kwargs["scale"] = kwargs.get("scale", 1.0) * 2
    return args, kwargs


def post(module, args, kwargs, output):
    print("scale used:", kwargs["scale"])
    return output + 1


m.register_forward_pre_hook(pre, with_kwargs=True)
m.register_forward_hook(post, with_kwargs=True, always_call=True)
x = torch.randn(2, 3)
out = m(x, scale=0.5)
out.sum().backward()
print(out)
print(m.lin.weight.grad)
