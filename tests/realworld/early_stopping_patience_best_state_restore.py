import copy

import torch
import torch.nn as nn

torch.manual_seed(10)
model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.3)
x_tr, y_tr = torch.randn(16, 3), torch.randn(16, 1)
x_va, y_va = torch.randn(8, 3), torch.randn(8, 1)
best_loss, best_state, patience, bad_epochs = float("inf"), None, 2, 0
for epoch in range(20):
    model.train()
    loss = nn.functional.mse_loss(model(x_tr), y_tr)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(model(x_va), y_va).item()
    if val_loss < best_loss - 1e-4:
        best_loss, bad_epochs = val_loss, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print(f"early stop at epoch {epoch}")
            break
model.load_state_dict(best_state)
with torch.no_grad():
    print(round(nn.functional.mse_loss(model(x_va), y_va).item(), 6) == round(best_loss, 6))
print(model[2].weight.grad)
