import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

torch.manual_seed(14)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9), use_buffers=True)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    xb, yb = torch.randn(8, 3), torch.randn(8, 1)
    loss = nn.functional.mse_loss(model(xb), yb)
    opt.zero_grad(); loss.backward(); opt.step()
    ema.update_parameters(model)
print(ema.n_averaged)
ema.eval()
with torch.no_grad():
    pred = ema(torch.ones(2, 3))
print(pred)
