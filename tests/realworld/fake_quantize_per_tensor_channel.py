torch.manual_seed(63)
w = torch.randn(3, 4, requires_grad=True)
x = torch.randn(2, 4, requires_grad=True)
wq = torch.fake_quantize_per_channel_affine(
    w, scale=torch.tensor([0.05, 0.1, 0.02]), zero_point=torch.zeros(3, dtype=torch.int32), axis=0, quant_min=-8, quant_max=7
)
xq = torch.fake_quantize_per_tensor_affine(x, scale=0.1, zero_point=0, quant_min=-128, quant_max=127)
out = F.linear(xq, wq)
loss = out.pow(2).sum()
loss.backward()
print(wq)
print(w.grad)
print(x.grad)
print((wq - w).abs().max() <= 0.05)
