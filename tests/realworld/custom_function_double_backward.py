class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * 3 * x ** 2  # differentiable: written with torch ops


torch.manual_seed(74)
x = torch.randn(3, requires_grad=True)
y = Cube.apply(x).sum()
(dy_dx,) = torch.autograd.grad(y, x, create_graph=True)
print("first:", dy_dx)
d2 = dy_dx.sum()
d2.backward()
print("second:", x.grad)
print(torch.allclose(x.grad, 6 * x))
