import copy
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(64, 4)
y = X @ torch.tensor([[1.0], [-2.0], [0.5], [0.0]]) + 0.1 * torch.randn(64, 1)
X_train, y_train, X_val, y_val = X[:48], y[:48], X[48:], y[48:]
model = nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
best_val, best_state, patience, bad_epochs = float("inf"), None, 5, 0
for epoch in range(1000):
    model.train()
    pred = model(X_train)
    loss = nn.functional.mse_loss(pred, y_train)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(model(X_val), y_val).item()
    if val_loss < best_val - 1e-4:
        best_val, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print(f"early stop at epoch {epoch}, best val {best_val:.4f}")
            break
print(f"last train loss {loss.item():.4f}")
model.load_state_dict(best_state)
print(model.weight)
