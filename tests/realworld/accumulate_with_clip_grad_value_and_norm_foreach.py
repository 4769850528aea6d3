# Gradient accumulation over micro-batches, the loss divided by the number of steps, then clip_grad_value_ and
# clip_grad_norm_ (foreach) before the step; the returned total norm printed as a tutorial would.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(5, 6), nn.GELU(), nn.Linear(6, 1))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.01)
data = torch.randn(12, 5)
targets = data.sum(1, keepdim=True)
accumulation_steps = 3
optimizer.zero_grad()
for i, (xb, yb) in enumerate(zip(data.split(2), targets.split(2))):
    loss = F.smooth_l1_loss(model(xb), yb) / accumulation_steps
    loss.backward()
    if (i + 1) % accumulation_steps == 0:
        torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
        total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.3, foreach=True)
        print(f"step after micro-batch {i}: grad norm before clipping {total_norm:.4f}")
        optimizer.step()
        optimizer.zero_grad()
print("grads cleared:", all(p.grad is None for p in model.parameters()))
print(model[2].bias)
