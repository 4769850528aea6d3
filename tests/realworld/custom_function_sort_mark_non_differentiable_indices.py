# A custom sort returning (values, indices): the indices are marked non-differentiable, backward scatters the
# gradient back through them with once_differentiable, and ctx.needs_input_grad decides what to compute.
from torch.autograd.function import once_differentiable


class SortWithIndices(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, descending):
        values, indices = torch.sort(x, dim=-1, descending=descending)
        ctx.mark_non_differentiable(indices)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_values, grad_indices):
        (indices,) = ctx.saved_tensors
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.zeros_like(grad_values).scatter_(-1, indices, grad_values)
        return grad_x, None


torch.manual_seed(0)
x = torch.randn(2, 5, requires_grad=True)
values, indices = SortWithIndices.apply(x, True)
print(values.requires_grad, indices.requires_grad, indices.dtype)
weights = torch.linspace(1.0, 0.2, 5)
loss = (values * weights).sum()
loss.backward()
reference = x.detach().clone().requires_grad_()
(torch.sort(reference, dim=-1, descending=True).values * weights).sum().backward()
print("same grad as torch.sort:", torch.equal(x.grad, reference.grad))
print(x.grad)
