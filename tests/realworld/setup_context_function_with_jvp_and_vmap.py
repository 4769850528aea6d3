# A custom Function written with setup_context (the torch.func-compatible style): a scaled softplus whose backward
# and jvp both use the saved sigmoid; checked through backward, torch.func.grad, vmap and jvp.
import torch.func as func


class ScaledSoftplus(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x, scale):
        return F.softplus(x) * scale

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, scale = inputs
        sig = torch.sigmoid(x)
        ctx.save_for_backward(sig)
        ctx.save_for_forward(sig)
        ctx.scale = scale

    @staticmethod
    def backward(ctx, grad_out):
        (sig,) = ctx.saved_tensors
        return grad_out * sig * ctx.scale, None

    @staticmethod
    def jvp(ctx, x_t, scale_t):
        (sig,) = ctx.saved_tensors
        return x_t * sig * ctx.scale


x = torch.linspace(-2, 2, 5, requires_grad=True)
y = ScaledSoftplus.apply(x, 3.0)
y.sum().backward()
g = func.grad(lambda t: ScaledSoftplus.apply(t, 3.0).sum())(x.detach())
batched = func.vmap(lambda t: ScaledSoftplus.apply(t, 3.0))(torch.stack([x.detach(), -x.detach()]))
_, tangent = func.jvp(lambda t: ScaledSoftplus.apply(t, 3.0), (x.detach(),), (torch.ones(5),))
print(x.grad)
print(torch.allclose(g, x.grad), torch.allclose(tangent, x.grad))
print(batched)
