class TopKMask(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        vals, idx = x.topk(k)
        mask = torch.zeros_like(x, dtype=torch.bool)
        mask[idx] = True
        ctx.mark_non_differentiable(mask, idx)
        ctx.save_for_backward(mask)
        return x * mask, mask, idx

    @staticmethod
    def backward(ctx, g, g_mask, g_idx):
        (mask,) = ctx.saved_tensors
        return g * mask, None


torch.manual_seed(103)
x = torch.randn(6, requires_grad=True)
kept, mask, idx = TopKMask.apply(x, 2)
print(mask.requires_grad, idx.dtype, kept.requires_grad)
(kept * torch.arange(6.0)).sum().backward()
print(x.grad)
