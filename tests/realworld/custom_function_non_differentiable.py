class SortWithIndex(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        values, idx = x.sort(dim=-1)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, grad_values, grad_idx):
        (idx,) = ctx.saved_tensors
        if grad_values is None:
            return None
        grad_x = torch.zeros_like(grad_values)
        grad_x.scatter_(-1, idx, grad_values)
        return grad_x

torch.manual_seed(4)
x = torch.randn(2, 5, requires_grad=True)
vals, order = SortWithIndex.apply(x)
weights = torch.linspace(0.0, 1.0, 5)
score = (vals * weights).sum()
score.backward()
print(order.requires_grad, vals.requires_grad)
print(order)
print(x.grad)
