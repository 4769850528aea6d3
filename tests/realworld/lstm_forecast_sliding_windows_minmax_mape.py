import torch
import torch.nn as nn

torch.manual_seed(1)
t = torch.arange(0, 60, dtype=torch.float32)
series = 10 + torch.sin(t / 4) * 3 + 0.05 * t + 0.2 * torch.randn(60)
lo, hi = series.min(), series.max()
scaled = (series - lo) / (hi - lo)
window, horizon = 8, 2
windows = scaled.unfold(0, window + horizon, 1)  # (n, window + horizon), a view
X = windows[:, :window].unsqueeze(-1)
Y = windows[:, window:]
split = int(0.8 * len(X))
X_tr, Y_tr, X_te, Y_te = X[:split], Y[:split], X[split:], Y[split:]


class Forecaster(nn.Module):
    def __init__(self, hidden=6):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, horizon)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(out[:, -1])


model = Forecaster()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
for epoch in range(3):
    perm = torch.randperm(len(X_tr))
    for i in range(0, len(perm), 16):
        idx = perm[i : i + 16]
        loss = nn.functional.mse_loss(model(X_tr[idx]), Y_tr[idx])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    sched.step()
model.eval()
with torch.no_grad():
    pred = model(X_te) * (hi - lo) + lo
truth = Y_te * (hi - lo) + lo
mape = ((pred - truth).abs() / truth.abs()).mean() * 100
print(f"MAPE {mape:.2f}%  lr {sched.get_last_lr()[0]:.4f}")
print(pred[:2], model.head.bias.grad)
