import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

torch.manual_seed(0)
X = torch.randn(60, 5)
y = (X[:, 0] > 0).long()
loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    running = 0.0
    for i, (xb, yb) in enumerate(tqdm(loader, desc=f"epoch {epoch}", leave=False, disable=True)):
        logits = model(xb)
        loss = criterion(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item()
        if i == 0 and epoch == 0:
            print("first batch", tuple(xb.shape))
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: {running / len(loader):.4f}")
print(logits.shape, loss)
