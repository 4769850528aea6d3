import torch

x = torch.tensor([0.3, 1.2, 2.5], requires_grad=True)
y = torch.tensor([0.0, 0.5, 2.0])
out = (torch.special.erf(x) + torch.special.erfc(x) * 0.5 + torch.lgamma(x) + torch.digamma(x)
       + torch.special.xlogy(y, x) + torch.special.i0(x) + torch.special.expit(x) + torch.special.log1p(x)
       + torch.special.sinc(x) + torch.special.entr(x) + torch.special.ndtr(x) + torch.special.logit(x / 3))
out.sum().backward()
print(out)
print(x.grad)
z = torch.tensor([0.5, 1.5], requires_grad=True)
torch.special.gammaln(z).sum().backward()
print(z.grad, torch.special.polygamma(1, z))
