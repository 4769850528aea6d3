class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 3)

    def forward(self, x, *, mask=None):
        h = self.lin(x)
        if mask is not None:
            h = h.masked_fill(mask, 0.0)
        return h.tanh()


def log_call(module, args, kwargs, output):
    print("hook", type(module).__name__, sorted(kwargs), output.shape if output is not None else None)


torch.manual_seed(157)
enc = Encoder()
enc.register_forward_hook(log_call, with_kwargs=True, always_call=True)
x = torch.randn(2, 4)
masks = [torch.zeros(2, 3, dtype=torch.bool), torch.tensor([[True, False, False], [False, False, True]]), torch.zeros(3, 3, dtype=torch.bool)]
for m in masks:
    out = enc(x, mask=m)
    out.sum().backward()
    print(enc.lin.bias.grad)
