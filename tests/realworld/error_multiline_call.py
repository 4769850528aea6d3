torch.manual_seed(101)
weight = torch.randn(4, 3, requires_grad=True)
bias = torch.randn(4, requires_grad=True)
x = torch.randn(2, 3)
ok = F.linear(
    x,
    weight,
    bias,
)
ok.sum().backward()
print(weight.grad.shape)
wrong = F.linear(
    x.T,
    weight,
    bias,
)
