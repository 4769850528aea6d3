from torch.autograd import gradcheck, gradgradcheck


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * 3 * x ** 2


torch.manual_seed(101)
inp = torch.randn(4, dtype=torch.float64, requires_grad=True)
print("gradcheck:", gradcheck(Cube.apply, (inp,), eps=1e-6, atol=1e-4))
print("gradgradcheck:", gradgradcheck(Cube.apply, (inp,)))
out = Cube.apply(inp)
(g,) = torch.autograd.grad(out.sum(), inp, create_graph=True)
g.sum().backward()
print(torch.allclose(inp.grad, 6 * inp))
