import torch
from torch.autograd import Function

class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


class MyTanh(Function):
    @staticmethod
    def forward(x):
        return torch.tanh(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_tensors
        return grad_out * (1 - y * y)

    @staticmethod
    def vmap(info, in_dims, x):
        return MyTanh.apply(x), in_dims[0]


torch.manual_seed(5)
a = torch.randn(3, requires_grad=True)
b = torch.randn(2, 3, requires_grad=True)
e = Exp.apply(a)
t = MyTanh.apply(b * e)
batched = torch.func.vmap(MyTanh.apply)(b)
loss = t.sum() + batched.pow(2).sum()
loss.backward()
print(a.grad)
print(b.grad)
print(torch.autograd.gradcheck(MyTanh.apply, (torch.randn(3, dtype=torch.double, requires_grad=True),)))
