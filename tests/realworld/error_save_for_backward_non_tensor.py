import torch


class ScaledSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x, scale)
        return scale * x**2

    @staticmethod
    def backward(ctx, grad_out):
        x, scale = ctx.saved_tensors
        return grad_out * 2 * scale * x, None


x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
ok = ScaledSquare.apply(x, torch.tensor(3.0))
ok.sum().backward()
print("with a tensor scale:", x.grad)
y = ScaledSquare.apply(x, 3.0)
print("never printed", y)
