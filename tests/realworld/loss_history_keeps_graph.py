"""A classic leak: summing the loss tensor (not loss.item()) over an epoch keeps every step's graph alive, and
the epoch total's backward graph reaches every step. Then the fix, and a backward through the whole sum."""
import torch
import torch.nn as nn

torch.manual_seed(37)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
data = [(torch.randn(5, 3), torch.randn(5, 1)) for _ in range(10)]
criterion = nn.MSELoss()

for epoch in range(3):
    total_loss = 0
    losses = []
    for xb, yb in data:
        opt.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        opt.step()
        total_loss += loss  # keeps the graph (the bug)
        losses.append(loss)
    print(f"epoch {epoch}: total {total_loss.item():.4f} requires_grad={total_loss.requires_grad}")
print(type(total_loss).__name__, total_loss.grad_fn.name())

# the fix: .item() and detach
clean_total = 0.0
clean_losses = []
for xb, yb in data:
    loss = criterion(model(xb), yb)
    clean_total += loss.item()
    clean_losses.append(loss.detach())
print(f"clean total {clean_total:.4f}", all(not l.requires_grad for l in clean_losses))

# the epoch total's graph was already walked by each step's backward (its saved tensors freed): a second walk fails
try:
    total_loss.backward()
except RuntimeError as e:
    print("backward through the epoch total:", type(e).__name__, "a second time" in str(e))

# accumulate a differentiable sum correctly: no optimizer step in between
opt.zero_grad()
epoch_sum = sum(criterion(model(xb), yb) for xb, yb in data)
epoch_sum.backward()
grad_norm = torch.cat([p.grad.flatten() for p in model.parameters()]).norm()
print(f"sum {epoch_sum.item():.4f} grad norm {grad_norm.item():.4f}")
