import torch
from torch.library import custom_op


@custom_op("demo::scaled_clamp_", mutates_args={"x"})
def scaled_clamp_(x: torch.Tensor, scale: float) -> None:
    x.mul_(scale).clamp_(-1.0, 1.0)


@custom_op("demo::softclip", mutates_args=())
def softclip(x: torch.Tensor, limit: float) -> torch.Tensor:
    return limit * torch.tanh(x / limit)


@softclip.register_fake
def _(x, limit):
    return torch.empty_like(x)


def setup_context(ctx, inputs, output):
    x, limit = inputs
    ctx.save_for_backward(x)
    ctx.limit = limit


def backward(ctx, grad):
    (x,) = ctx.saved_tensors
    return grad * (1 - torch.tanh(x / ctx.limit) ** 2), None


softclip.register_autograd(backward, setup_context=setup_context)

buf = torch.tensor([0.2, -0.9, 3.0])
scaled_clamp_(buf, 2.0)
print(buf)
x = torch.tensor([0.5, -4.0, 10.0], requires_grad=True)
y = softclip(x, 2.0)
y.sum().backward()
print(y, x.grad)
torch.library.opcheck(softclip, (torch.randn(4, requires_grad=True), 1.5))
print("opcheck passed")
