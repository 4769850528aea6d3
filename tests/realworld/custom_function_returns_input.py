class PassThroughLogger(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, tag):
        ctx.tag = tag
        return x

    @staticmethod
    def backward(ctx, grad):
        print(ctx.tag, "grad norm", round(grad.norm().item(), 4))
        return grad, None


class Outer(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        inner = PassThroughLogger.apply(x, "inner")
        ctx.save_for_backward(x)
        return inner * 2

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2


torch.manual_seed(227)
x = torch.randn(3, requires_grad=True)
y = PassThroughLogger.apply(x, "first")
print(y is x, y._base is x, y.grad_fn.__class__.__name__)
z = Outer.apply(y)
loss = (z * y).sum()
loss.backward()
print(x.grad)
