torch.manual_seed(75)
C = 3
w_init = torch.linalg.qr(torch.randn(C, C))[0]
weight = nn.Parameter(w_init)
x = torch.randn(2, C, 2, 2)
z = F.conv2d(x, weight.view(C, C, 1, 1))
sign, logabsdet = torch.linalg.slogdet(weight)
logdet = x.shape[2] * x.shape[3] * logabsdet
log_pz = -0.5 * z.pow(2).sum(dim=(1, 2, 3))
loss = -(log_pz + logdet).mean()
loss.backward()
print(sign, logabsdet)
print(weight.grad)
x_rec = F.conv2d(z, torch.linalg.inv(weight).view(C, C, 1, 1))
print(torch.allclose(x_rec, x, atol=1e-5))
print(torch.logdet(weight @ weight.T), torch.det(weight))
