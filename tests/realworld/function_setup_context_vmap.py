import numpy as np


class NumpySin(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return torch.tensor(np.sin(x.detach().numpy()), dtype=x.dtype), x

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)
        ctx.mark_non_differentiable(output[1])

    @staticmethod
    def backward(ctx, grad_out, _grad_x):
        (x,) = ctx.saved_tensors
        return grad_out * x.cos()


class MyCube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x ** 3, 3 * x ** 2

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0], output[1])

    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        return grad_output * dx + grad_dx * 6 * x

    @staticmethod
    def vmap(info, in_dims, x):
        (x_bdim,) = in_dims
        result = MyCube.apply(x)
        return result, (x_bdim, x_bdim)


torch.manual_seed(3)
x = torch.randn(3, requires_grad=True)
y, _ = NumpySin.apply(x)
cube, dcube = MyCube.apply(x)
loss = y.sum() + cube.sum() + dcube.sum()
loss.backward()
print(x.grad)
batch = torch.randn(2, 3)
print(torch.vmap(lambda t: MyCube.apply(t)[0])(batch).shape)
print(torch.func.grad(lambda t: MyCube.apply(t)[0].sum())(batch[0]))
