class SignSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sign()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x.abs() <= 1).to(g.dtype)


def quantize(x, bits=2):
    scale = 2 ** bits - 1
    q = torch.round(x.clamp(0, 1) * scale) / scale
    return x + (q - x).detach()


torch.manual_seed(2)
w = torch.randn(3, 4, requires_grad=True)
a = torch.rand(2, 4, requires_grad=True)
wb = SignSTE.apply(w)
aq = quantize(a)
out = aq @ wb.t()
loss = out.pow(2).mean()
loss.backward()
print(wb)
print(aq)
print(w.grad)
print(a.grad)
