import torch
import torch.nn as nn
from tqdm import tqdm

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
X = torch.randn(64, 4)
Y = X.pow(2).sum(1, keepdim=True)
pbar = tqdm(range(150), desc="training", disable=True)
for step in pbar:
    pred = model(X)
    loss = nn.functional.mse_loss(pred, Y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    pbar.set_postfix(loss=f"{loss.item():.4f}")
    if step % 50 == 0:
        print(step, f"{loss.item():.4f}")
print(pred[:3])
