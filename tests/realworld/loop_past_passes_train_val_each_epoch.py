import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(42)
X = torch.randn(200, 6)
y = (X[:, 0] * X[:, 1] > 0).long()
train_ds, val_ds = random_split(TensorDataset(X, y), [160, 40], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=16)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=15)

def evaluate(loader):
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for xb, yb in loader:
            logits = model(xb)
            loss_sum += criterion(logits, yb).item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            total += len(yb)
    return loss_sum / total, correct / total

for epoch in range(15):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        out = model(xb)
        loss = criterion(out, yb)
        loss.backward()
        optimizer.step()
    scheduler.step()
    val_loss, val_acc = evaluate(val_loader)
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1:2d} train {loss.item():.4f} val {val_loss:.4f} acc {val_acc:.3f} lr {scheduler.get_last_lr()[0]:.5f}")
print(out.shape, loss)
