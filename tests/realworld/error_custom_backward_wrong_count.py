class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, factor):
        ctx.factor = factor
        return x * factor

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.factor


torch.manual_seed(67)
x = torch.randn(3, requires_grad=True)
y = Scale.apply(x, 2.0)
print(y)
loss = y.sum()
loss.backward()
print("unreachable", x.grad)
