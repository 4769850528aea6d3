import copy
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.3)
Xtr, ytr = torch.randn(20, 3), torch.randn(20, 1)
Xva, yva = torch.randn(10, 3), torch.randn(10, 1)
best, best_state, patience, bad = float("inf"), None, 2, 0
epoch = 0
while True:
    epoch += 1
    loss = nn.functional.mse_loss(model(Xtr), ytr)
    opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        val = nn.functional.mse_loss(model(Xva), yva).item()
    if val < best - 1e-4:
        best, bad = val, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad += 1
    print(f"epoch {epoch} train {loss.item():.4f} val {val:.4f} bad {bad}")
    if bad >= patience or epoch >= 15:
        print("early stop")
        break
model.load_state_dict(best_state)
print(model.weight, best)
