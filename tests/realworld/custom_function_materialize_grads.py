class SplitScale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.set_materialize_grads(False)
        ctx.scale = scale
        return x * scale, x.clone()

    @staticmethod
    def backward(ctx, g_scaled, g_copy):
        if g_scaled is None and g_copy is None:
            return None, None
        grad = torch.zeros(())
        if g_scaled is not None:
            grad = grad + g_scaled * ctx.scale
        if g_copy is not None:
            grad = grad + g_copy
        print("backward got", g_scaled is None, g_copy is None)
        return grad, None


torch.manual_seed(79)
x = torch.randn(3, requires_grad=True)
scaled, copy = SplitScale.apply(x, 2.5)
scaled.sum().backward()
print(x.grad)
x.grad = None
scaled2, copy2 = SplitScale.apply(x, 2.5)
(copy2 * 3).sum().backward()
print(x.grad)
