import torch.autograd.forward_ad as fwAD


class MySquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.x = x
        return x ** 2

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_out

    @staticmethod
    def jvp(ctx, x_t):
        return 2 * ctx.x * x_t


torch.manual_seed(83)
primal = torch.randn(3, dtype=torch.double)
tangent = torch.randn(3, dtype=torch.double)
with fwAD.dual_level():
    dual_in = fwAD.make_dual(primal, tangent)
    dual_out = MySquare.apply(dual_in)
    jvp_result = fwAD.unpack_dual(dual_out).tangent
print(torch.allclose(jvp_result, 2 * primal * tangent))
x = primal.clone().requires_grad_()
y = MySquare.apply(x)
y.sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(MySquare.apply, (x,), check_forward_ad=True))
