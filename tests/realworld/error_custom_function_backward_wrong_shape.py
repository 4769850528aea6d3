class RowSum(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sum(dim=1)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad  # forgot to expand back to x's shape


x = torch.randn(2, 3, requires_grad=True)
y = RowSum.apply(x)
print(y.shape)
y.sum().backward()
print(x.grad)
