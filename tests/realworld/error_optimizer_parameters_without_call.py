import torch
import torch.nn as nn

model = nn.Linear(10, 1)
x = torch.randn(4, 10)
y = torch.randn(4, 1)
criterion = nn.MSELoss()
loss = criterion(model(x), y)
print("initial loss", loss.item() > 0)
optimizer = torch.optim.SGD(model.parameters, lr=0.01)
optimizer.zero_grad()
loss.backward()
optimizer.step()
