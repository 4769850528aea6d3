# loss = torch.tensor(loss.item(), requires_grad=True) "to make backward work"
torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.randn(4, 2)
y = torch.randn(4, 1)
loss = F.mse_loss(model(x), y)
loss = torch.tensor(loss.item(), requires_grad=True)
loss.backward()
print(model.weight.grad, model.bias.grad)
