torch.manual_seed(8)
x = torch.randn(2, 3, requires_grad=True)
y = x * 2
y[0] += 1
y.view(-1).mul_(2)
y[:, 1:] -= x[:, :2]
y.unsqueeze_(0)
y.transpose_(1, 2)
y.squeeze_(0)
z = y.t_()
loss = (z * torch.arange(6.0).view(2, 3)).sum()
loss.backward()
print(y.shape, z is y)
print(x.grad)
