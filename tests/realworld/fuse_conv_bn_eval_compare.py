from torch.nn.utils.fusion import fuse_conv_bn_eval

torch.manual_seed(79)
conv = nn.Conv2d(2, 3, 3, padding=1)
bn = nn.BatchNorm2d(3)
x = torch.randn(2, 2, 4, 4)
for _ in range(3):
    bn(conv(x))
conv.eval()
bn.eval()
fused = fuse_conv_bn_eval(conv, bn)
ref = bn(conv(x))
out = fused(x)
print(torch.allclose(out, ref, atol=1e-5))
loss = out.sum()
loss.backward()
print(fused.weight.grad.shape, fused.bias.grad)
print(bn.running_mean, bn.num_batches_tracked)
