class ScaledClamp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, value, scale, low):
        ctx.scale = scale
        ctx.low = low
        ctx.save_for_backward(value)
        mask = value > low
        ctx.mark_non_differentiable(mask)
        return value.clamp(min=low) * scale, mask

    @staticmethod
    def backward(ctx, grad_out, grad_mask):
        (value,) = ctx.saved_tensors
        grad_value = grad_out * ctx.scale * (value > ctx.low)
        return grad_value, None, None

v = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
out, mask = ScaledClamp.apply(v, 3.0, 0.0)
out.sum().backward()
print(v.grad, mask)
