torch.manual_seed(96)
x = torch.randn(6, requires_grad=True)
first, second, third = (x * 1.5).split(2)
vals, idx = x.sort()
top, where = (x ** 2).max(dim=0)
lstm = nn.LSTM(2, 3)
out, (h, c) = lstm(x.view(3, 1, 2))


class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * 2, t.exp()

    @staticmethod
    def backward(ctx, g1, g2):
        (t,) = ctx.saved_tensors
        g = torch.zeros_like(t)
        if g1 is not None:
            g = g + 2 * g1
        if g2 is not None:
            g = g + g2 * t.exp()
        return g


dbl, ex = TwoOut.apply(x)
first.sum().backward(retain_graph=True)
third.pow(2).sum().backward(retain_graph=True)
vals[:2].sum().backward(retain_graph=True)
top.backward(retain_graph=True)
h.sum().backward(retain_graph=True)
c.mean().backward(retain_graph=True)
out[-1].sum().backward(retain_graph=True)
dbl.sum().backward(retain_graph=True)
ex.sum().backward()
print(x.grad)
