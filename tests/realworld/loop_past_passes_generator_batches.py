import torch
import torch.nn as nn


def batches(X, Y, bs):
    for i in range(0, len(X), bs):
        yield X[i : i + bs], Y[i : i + bs]


torch.manual_seed(0)
X = torch.randn(40, 3)
Y = (X.sum(1, keepdim=True) > 0).float()
model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.BCEWithLogitsLoss()
for epoch in range(30):
    for xb, yb in batches(X, Y, 8):
        logits = model(xb)
        loss = loss_fn(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 0:
        print(epoch, round(loss.item(), 4))
acc = ((model(X) > 0).float() == Y).float().mean()
print("acc", acc.item())
print(logits.shape, xb.shape)
