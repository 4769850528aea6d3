torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 3))
inputs = torch.randn(5, 4)
targets = torch.tensor([0, 2, 1, 1, 0])
outputs = model(inputs)
criterion = nn.CrossEntropyLoss
print(criterion)
loss = criterion(outputs, targets)
loss.backward()
