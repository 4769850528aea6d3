import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(12, 4), nn.ReLU(), nn.Linear(4, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
batches = [torch.randn(2, 3, 4), torch.randn(2, 3, 4), torch.randn(2, 4, 4)]  # last one has the wrong size
for i, xb in enumerate(batches):
    yb = torch.tensor([0, 2])
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(xb), yb)
    loss.backward()
    opt.step()
    print(f"batch {i}: loss={loss:.4f}")
