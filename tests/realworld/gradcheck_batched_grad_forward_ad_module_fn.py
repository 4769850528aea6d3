from torch.autograd import gradcheck, gradgradcheck


class Cube(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x**2


torch.manual_seed(0)
x = torch.randn(3, dtype=torch.float64, requires_grad=True)
w = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
print("cube batched:", gradcheck(Cube.apply, (x,), check_batched_grad=True))
print("layer batched:", gradcheck(lambda a, b: torch.tanh(b @ a).sum(0), (x, w), check_batched_grad=True))
print("forward ad:", gradcheck(lambda a: F.softplus(a, beta=2.0), (x,), check_forward_ad=True, check_backward_ad=True))
print("gradgrad:", gradgradcheck(lambda a: (a.sin() * a).sum(), (x,), check_batched_grad=True))
y = Cube.apply(x).sum() + (w @ x).pow(2).sum()
y.backward()
print(x.grad, w.grad)
