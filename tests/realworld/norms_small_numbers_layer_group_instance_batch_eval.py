import torch
import torch.nn as nn

torch.manual_seed(1)
x = torch.randn(2, 4, 3, requires_grad=True)
ln = nn.LayerNorm(3, elementwise_affine=False)
ln2 = nn.LayerNorm([4, 3])
gn = nn.GroupNorm(2, 4)
inorm = nn.InstanceNorm1d(4, affine=True)
bn = nn.BatchNorm1d(4)
bn_eval = nn.BatchNorm1d(4).eval()
with torch.no_grad():
    bn_eval.running_mean.uniform_(-1, 1)
    bn_eval.running_var.uniform_(0.5, 2)
outs = [ln(x), ln2(x), gn(x), inorm(x), bn(x), bn_eval(x)]
scales = torch.arange(1.0, 4.0)
loss = sum((o * scales).sum() * (k + 1) + o.pow(2).mean() for k, o in enumerate(outs))
loss.backward()
print(x.grad)
print(ln2.weight.grad, gn.bias.grad, bn_eval.weight.grad)
