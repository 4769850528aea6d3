import torch
import torch.nn as nn

torch.manual_seed(10)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
crit = nn.CrossEntropyLoss()
data = torch.randn(12, 4)
labels = torch.randint(0, 2, (12,))
accum = 3
opt.zero_grad()
for i, (xb, yb) in enumerate(zip(data.split(2), labels.split(2))):
    loss = crit(model(xb), yb) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
        opt.step()
        opt.zero_grad()
        print(f"update after micro-batch {i}: norm before clip {total_norm:.4f}")
print(model[2].bias)
