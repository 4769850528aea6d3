import torch.library


@torch.library.custom_op("demo_rw::softclip", mutates_args=())
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

x = torch.linspace(-4, 4, 5, requires_grad=True)
y = softclip(x, 2.0)
y.sum().backward()
print(y)
print(x.grad)
print(type(y.grad_fn).__name__)


class SoftClipLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(5, 3)

    def forward(self, inp):
        return softclip(self.lin(inp), 1.5)


layer = SoftClipLinear()
out = layer(torch.randn(2, 5))
out.pow(2).sum().backward()
print(out)
print(layer.lin.weight.grad.sum(dim=1))
