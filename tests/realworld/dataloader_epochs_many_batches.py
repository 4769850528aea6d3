import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
ds = TensorDataset(torch.randn(40, 3), torch.randn(40, 1))
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = torch.nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
history = {"loss": []}
for epoch in range(12):
    for xb, yb in loader:
        pred = model(xb)
        loss = torch.nn.functional.mse_loss(pred, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        history["loss"].append(loss.detach())
    print(epoch, round(loss.item(), 4))
last = history["loss"][-1]
print(pred.shape, last)
