import torch.autograd.forward_ad as fwAD


class MySquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_out

    @staticmethod
    def jvp(ctx, x_t):
        (x,) = ctx.saved_tensors
        return 2 * x * x_t


torch.manual_seed(73)
x = torch.randn(4)
tangent = torch.ones(4)
with fwAD.dual_level():
    dual_x = fwAD.make_dual(x, tangent)
    dual_y = MySquare.apply(dual_x)
    primal, tan = fwAD.unpack_dual(dual_y)
    jvp_out = tan.clone()
print("jvp:", jvp_out)
print(torch.allclose(jvp_out, 2 * x))

w = x.clone().requires_grad_()
y = MySquare.apply(w)
y.sum().backward()
print("vjp:", w.grad)
