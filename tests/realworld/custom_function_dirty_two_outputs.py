class AddAndNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, acc, x):
        ctx.mark_dirty(acc)
        acc.add_(x)
        norm = acc.norm()
        ctx.save_for_backward(acc, norm)
        return acc, norm

    @staticmethod
    def backward(ctx, grad_acc, grad_norm):
        acc, norm = ctx.saved_tensors
        g = grad_acc + grad_norm * acc / norm
        return g, g


torch.manual_seed(40)
base = torch.randn(3, requires_grad=True)
x = torch.randn(3, requires_grad=True)
acc = base * 1
acc_out, n = AddAndNorm.apply(acc, x)
(acc_out.sum() + n).backward()
print(acc_out is acc, n)
print(base.grad, x.grad)
