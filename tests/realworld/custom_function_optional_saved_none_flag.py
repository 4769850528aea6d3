import torch

class ScaledTanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale, flag: bool):
        y = torch.tanh(x) * scale
        ctx.save_for_backward(y, scale if flag else None)
        ctx.flag = flag
        return y

    @staticmethod
    def backward(ctx, gy):
        y, scale = ctx.saved_tensors
        if ctx.flag:
            gx = gy * (scale - y * y / scale)
            gscale = (gy * y / scale).sum()
            return gx, gscale, None
        return gy * (1 - y * y), None, None

x = torch.linspace(-1, 1, 5, requires_grad=True)
s = torch.tensor(2.0, requires_grad=True)
out = ScaledTanh.apply(x, s, True)
out.sum().backward()
print(x.grad, s.grad)
x.grad = None
ScaledTanh.apply(x, torch.tensor(1.0), False).sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(lambda a, b: ScaledTanh.apply(a, b, True), (x.double().detach().requires_grad_(), s.double().detach().requires_grad_())))
