class Broken(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        print("backward called with", grad)
        return grad.view(-1, 5)

x = torch.ones(2, 3, requires_grad=True)
y = Broken.apply(x)
z = (y * x).sum()
print("forward fine", z.item())
z.backward()
