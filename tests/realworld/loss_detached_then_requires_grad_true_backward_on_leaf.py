# my loss goes down in print but the weights never change
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.randn(5, 3)
target = torch.randn(5)
pred = x @ w
loss = ((pred.detach() - target) ** 2).mean()
loss.requires_grad = True
loss.backward()
print(loss)
print(w.grad)
