class SplitScale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x * 2, x.exp()

    @staticmethod
    def backward(ctx, g_double, g_exp):
        (x,) = ctx.saved_tensors
        if g_double is None and g_exp is None:
            return None
        grad = torch.zeros_like(x)
        if g_double is not None:
            grad = grad + 2 * g_double
        if g_exp is not None:
            grad = grad + g_exp * x.exp()
        return grad


torch.manual_seed(72)
x = torch.randn(5, requires_grad=True)
doubled, expd = SplitScale.apply(x)
loss = doubled.sum()  # only the first output is used
loss.backward()
print("grad from first output only:", x.grad)
x.grad = None
doubled, expd = SplitScale.apply(x)
(expd * 0.5).sum().backward()
print("grad from second output only:", x.grad)
