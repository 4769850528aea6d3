from torch.autograd import Function
torch.manual_seed(0)
class Cube(Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x):
        return x ** 3, 3 * x ** 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x, output[1])
        ctx.save_for_forward(output[1])
    @staticmethod
    def backward(ctx, g, gdx):
        x, dx = ctx.saved_tensors
        return g * dx + gdx * 6 * x
    @staticmethod
    def jvp(ctx, t):
        dx, = ctx.saved_tensors
        return dx * t, torch.zeros_like(t)
x = torch.randn(4, requires_grad=True)
y, dy = Cube.apply(x)
(y.sum() + dy.sum()).backward()
print(x.grad)
jac = torch.func.jacrev(lambda t: Cube.apply(t)[0])(x.detach())
print(jac.diagonal())
batched = torch.func.vmap(lambda t: Cube.apply(t)[0])(torch.randn(2, 4))
print(batched.shape)
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    d = fwAD.make_dual(x.detach(), torch.ones(4))
    out, _ = Cube.apply(d)
    print(fwAD.unpack_dual(out).tangent)
