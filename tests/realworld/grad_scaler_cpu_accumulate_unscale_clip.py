# Mixed precision recipe (CPU bf16 autocast + GradScaler) with gradient accumulation, from the AMP docs' examples
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cpu", init_scale=2.0**8, growth_interval=2)
data = torch.randn(8, 6)
target = torch.randint(0, 3, (8,))
accum = 4

for i, (xb, yb) in enumerate(zip(data.split(2), target.split(2))):
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits = model(xb)
        loss = F.cross_entropy(logits, yb) / accum
    scaler.scale(loss).backward()
    if (i + 1) % accum == 0:
        scaler.unscale_(opt)
        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=True)
        print(f"step after micro-batch {i}: grad norm {total:.4f}, scale {scaler.get_scale()}")
print(logits.dtype, loss.dtype)
print(model[2].bias)
