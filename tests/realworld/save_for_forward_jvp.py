import torch.autograd.forward_ad as fwAD


class ScaledExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        out = torch.exp(x) * scale
        ctx.save_for_backward(out)
        ctx.save_for_forward(out)
        ctx.scale = scale
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out, None

    @staticmethod
    def jvp(ctx, x_t, scale_t):
        (out,) = ctx.saved_tensors
        return x_t * out


torch.manual_seed(151)
x = torch.randn(3, dtype=torch.double, requires_grad=True)
out = ScaledExp.apply(x, 2.0)
out.sum().backward()
print(x.grad)
with fwAD.dual_level():
    d = fwAD.make_dual(x.detach(), torch.ones(3, dtype=torch.double))
    tangent = fwAD.unpack_dual(ScaledExp.apply(d, 2.0)).tangent
print(torch.allclose(tangent, out.detach()))
