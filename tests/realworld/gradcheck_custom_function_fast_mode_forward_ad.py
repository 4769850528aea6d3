from torch.autograd import gradcheck, gradgradcheck


class Swish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        s = torch.sigmoid(beta * x)
        ctx.save_for_backward(x, beta, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_out):
        x, beta, s = ctx.saved_tensors
        ds = s * (1 - s)
        grad_x = grad_out * (s + x * beta * ds)
        grad_beta = (grad_out * x * x * ds).sum().reshape(beta.shape)
        return grad_x, grad_beta


class BrokenSwish(Swish):
    @staticmethod
    def backward(ctx, grad_out):
        x, beta, s = ctx.saved_tensors
        return grad_out * s, None  # forgot the product rule


torch.manual_seed(0)
x = torch.randn(5, dtype=torch.double, requires_grad=True)
beta = torch.tensor([1.5], dtype=torch.double, requires_grad=True)

print("Swish ok:", gradcheck(Swish.apply, (x, beta), eps=1e-6, atol=1e-4))
print("Swish fast:", gradcheck(Swish.apply, (x, beta), fast_mode=True))
print("Broken:", gradcheck(BrokenSwish.apply, (x, beta), raise_exception=False))
print("F.silu gradgrad:", gradgradcheck(F.silu, (x,)))
print("check_forward_ad on tanh:", gradcheck(torch.tanh, (x,), check_forward_ad=True))
try:
    gradcheck(BrokenSwish.apply, (x, beta))
except RuntimeError as err:
    print(str(err).splitlines()[0])

y = Swish.apply(x, beta)
y.sum().backward()
print(x.grad)
print(beta.grad)
try:
    gradcheck(Swish.apply, (x.float().detach().requires_grad_(), beta.float()))
except Exception as e:
    print(type(e).__name__)
