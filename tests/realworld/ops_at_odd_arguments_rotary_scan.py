# Ops at arguments tutorials rarely show, each feeding one loss: negative dims, keepdim, dtype= on reductions,
# non-contiguous inputs (transposed, stepped slices), broadcasting against size-1 dims, integer exponents,
# tensor exponents, cumulative ops, roll/flip, and the rotary embedding's interleaved complex form.
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
y = torch.randn(4, 1, requires_grad=True)
xt = x.t()
a = xt.softmax(dim=-2).log_softmax(-1).sum(dim=(-1, -2), keepdim=True)
b = x[:, ::2].cumsum(-1, dtype=torch.float64).sum()
c = (x.unsqueeze(0) * y.t().unsqueeze(1)).prod(dim=-1).mean()
d = torch.pow(x.abs() + 1, y.t()).sum() + x.pow(3).sum() + torch.pow(2.0, x).sum()
e = x.roll(shifts=1, dims=-1).flip(0).cummax(dim=1).values.sum()
f = torch.logcumsumexp(xt, dim=0).sum() + x.amax(dim=(0, 1)) + x.norm(p=3, dim=-1).sum()
g = torch.lerp(x, y.t().expand(3, 4), 0.3).var(dim=0, correction=0).sum()
h = torch.addcmul(x, x, y.t(), value=-0.5).std(-1, keepdim=True).sum()
pairs = x.reshape(3, 2, 2)
zc = torch.view_as_complex(pairs.contiguous())
freqs = torch.polar(torch.ones(2), torch.tensor([0.1, 0.2]))
k = torch.view_as_real(zc * freqs).pow(2).sum()
total = a.sum() + b + c + d + e + f + g + h + k
total.backward()
print(f"{total.item():.4f}")
print(x.grad)
print(y.grad)
