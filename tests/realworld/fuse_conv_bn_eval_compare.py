from torch.nn.utils.fusion import fuse_conv_bn_eval

torch.manual_seed(133)
conv = nn.Conv2d(2, 3, 3, bias=False)
bn = nn.BatchNorm2d(3)
x = torch.randn(4, 2, 5, 5)
for _ in range(3):
    bn(conv(x * 2 + 1))
conv.eval()
bn.eval()
fused = fuse_conv_bn_eval(conv, bn)
ref = bn(conv(x))
got = fused(x)
print(torch.allclose(ref, got, atol=1e-5), fused.bias is not None)
loss = got.relu().mean()
loss.backward()
print(fused.weight.grad.shape, fused.bias.grad)
print(bn.running_var)
