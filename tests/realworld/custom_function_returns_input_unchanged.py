class ClipGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, bound):
        ctx.bound = bound
        return x

    @staticmethod
    def backward(ctx, g):
        return g.clamp(-ctx.bound, ctx.bound), None


class Identity(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g * 1


torch.manual_seed(168)
a = torch.randn(4, requires_grad=True)
h = a * 10
c = ClipGrad.apply(h, 0.5)
print(c is h, c.grad_fn.name(), h.grad_fn.name())
d = Identity.apply(c)
loss = (d * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum()
loss.backward()
print(a.grad)
print(d, c)
