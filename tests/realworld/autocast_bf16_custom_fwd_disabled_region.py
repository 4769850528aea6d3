# CPU autocast in bfloat16 with a custom Function declared by torch.amp.custom_fwd, and a float32 region turned off inside
import torch
import torch.nn as nn


class ScaledSquare(torch.autograd.Function):
    @staticmethod
    @torch.amp.custom_fwd(device_type="cpu", cast_inputs=torch.float32)
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * x * x

    @staticmethod
    @torch.amp.custom_bwd(device_type="cpu")
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x


torch.manual_seed(33)
lin = nn.Linear(4, 4)
x = torch.randn(3, 4)
with torch.autocast("cpu", dtype=torch.bfloat16):
    h = lin(x)
    sq = ScaledSquare.apply(h)
    with torch.autocast("cpu", enabled=False):
        norm = sq.float().norm(dim=1)
    out = torch.mm(sq, lin.weight.t())
print(h.dtype, sq.dtype, norm.dtype, out.dtype)
loss = out.float().mean() + norm.mean()
loss.backward()
print(lin.weight.grad.dtype, lin.bias.grad)
