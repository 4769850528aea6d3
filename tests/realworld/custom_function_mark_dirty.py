class ScaleInPlace(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        x.mul_(k)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None

torch.manual_seed(3)
w = torch.randn(4, requires_grad=True)
h = w * 1.5
out = ScaleInPlace.apply(h, 3.0)
loss = (out ** 2).sum()
loss.backward()
print(out is h, h._version)
print(w.grad)
