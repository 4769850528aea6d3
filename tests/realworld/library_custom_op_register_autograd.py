import numpy as np


@torch.library.custom_op("mylib::numpy_sin", mutates_args=())
def numpy_sin(x: torch.Tensor) -> torch.Tensor:
    return torch.from_numpy(np.sin(x.detach().numpy()))


@numpy_sin.register_fake
def _(x):
    return torch.empty_like(x)


def setup_context(ctx, inputs, output):
    (x,) = inputs
    ctx.save_for_backward(x)


def backward(ctx, grad):
    (x,) = ctx.saved_tensors
    return grad * x.cos()


numpy_sin.register_autograd(backward, setup_context=setup_context)


@torch.library.custom_op("mylib::scale_", mutates_args={"x"})
def scale_(x: torch.Tensor, s: float) -> None:
    x.mul_(s)


torch.manual_seed(87)
x = torch.randn(4, requires_grad=True)
y = numpy_sin(x)
loss = (y * 2).sum()
loss.backward()
print(y)
print(x.grad, torch.allclose(x.grad, 2 * x.detach().cos()))
buf = torch.ones(3)
scale_(buf, 2.5)
print(buf)
z = torch.ops.mylib.numpy_sin(torch.tensor([0.0, 1.0]))
print(z)
