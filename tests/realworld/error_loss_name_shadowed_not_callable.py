import torch
import torch.nn as nn

torch.manual_seed(2)
model = nn.Linear(3, 1)
loss = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
data = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(3)]
for i, (x, y) in enumerate(data):
    opt.zero_grad()
    pred = model(x)
    loss = loss(pred, y)  # the name of the criterion now holds a tensor
    loss.backward()
    opt.step()
    print(i, loss.item())
