class BadSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x


torch.manual_seed(165)
inp = torch.randn(3, dtype=torch.float64, requires_grad=True)
ok = torch.autograd.gradcheck(BadSquare.apply, (inp,), raise_exception=False)
print("gradcheck passed:", ok)
good = torch.autograd.gradcheck(lambda t: t ** 2, (inp,))
print("reference passed:", good)
out = BadSquare.apply(inp).sum()
out.backward()
print(inp.grad, inp)
