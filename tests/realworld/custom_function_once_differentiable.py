from torch.autograd.function import once_differentiable


class Clamp01(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * ((x > 0) & (x < 1)).to(grad_output.dtype)


class Swish(torch.autograd.Function):
    @staticmethod
    def forward(x, beta):
        return x * torch.sigmoid(beta * x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, beta = inputs
        ctx.save_for_backward(x)
        ctx.beta = beta

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(ctx.beta * x)
        return g * (s + ctx.beta * x * s * (1 - s)), None


torch.manual_seed(5)
x = torch.randn(6, requires_grad=True)
clamped = Clamp01.apply(x * 2)
act = Swish.apply(x, 1.5)
loss = clamped.sum() + act.pow(2).sum()
loss.backward()
print(x.grad)
print(torch.allclose(act, F.silu(1.5 * x) / 1.5))
