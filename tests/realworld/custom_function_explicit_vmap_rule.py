import torch
from torch.func import vmap, grad

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x ** 3

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g

    @staticmethod
    def vmap(info, in_dims, x):
        return Cube.apply(x), in_dims[0]

xs = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
ys = vmap(Cube.apply)(xs)
gs = vmap(grad(lambda t: Cube.apply(t).sum()))(xs)
print(ys)
print(gs)
ys.sum().backward()
print(xs.grad)
