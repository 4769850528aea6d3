"""Train/val split with ReduceLROnPlateau, early stopping and restoring the best weights (course notebook style)."""
import copy

torch.manual_seed(42)
X = torch.linspace(-2, 2, 40).unsqueeze(1)
Y = X.pow(3) - X + 0.1 * torch.randn_like(X)
perm = torch.randperm(len(X))
train_idx, val_idx = perm[:30], perm[30:]

model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1, threshold=1e-3)

best_val, best_state, bad_epochs = float("inf"), None, 0
print(f"{'epoch':>5} | {'train':>8} | {'val':>8} | {'lr':>7}")
print("-" * 38)
for epoch in range(12):
    model.train()
    optimizer.zero_grad()
    train_loss = F.mse_loss(model(X[train_idx]), Y[train_idx])
    train_loss.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = F.mse_loss(model(X[val_idx]), Y[val_idx])
    scheduler.step(val_loss)
    lr = optimizer.param_groups[0]["lr"]
    print(f"{epoch:>5} | {train_loss.item():8.4f} | {val_loss.item():8.4f} | {lr:7.4f}")
    if val_loss < best_val - 1e-4:
        best_val, best_state, bad_epochs = val_loss.item(), copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
        if bad_epochs >= 4:
            print("early stop at epoch", epoch)
            break

model.load_state_dict(best_state)
final = F.mse_loss(model(X[val_idx]), Y[val_idx])
print(f"restored best: {final.item():.4f} (recorded {best_val:.4f})")
