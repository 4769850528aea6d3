# A classic bug: zero_grad without the call, so gradients keep adding up
torch.manual_seed(0)
model = nn.Linear(1, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.tensor([[1.0], [2.0], [3.0]])
y = torch.tensor([[2.0], [4.0], [6.0]])

for epoch in range(4):
    optimizer.zero_grad
    loss = nn.MSELoss()(model(x), y)
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f} grad {model.weight.grad.item():.4f}")

model.train
print("training?", model.training)
print(optimizer.zero_grad)
