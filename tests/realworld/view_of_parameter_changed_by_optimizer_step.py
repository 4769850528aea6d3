torch.manual_seed(20)
lin = nn.Linear(3, 2)
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
x = torch.randn(4, 3)
for step in range(2):
    opt.zero_grad()
    wt = lin.weight.T
    y = x @ wt + lin.bias
    loss = y.pow(2).mean()
    loss.backward()
    opt.step()
print(wt.shape, lin.weight.grad)
