import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13)
device = "cuda" if torch.cuda.is_available() else "cpu"
device = "cpu"  # deterministic here
use_amp = True
amp_dtype = torch.bfloat16


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class Model(nn.Module):
    def __init__(self, d_in=6, d=8, n_blocks=2, n_out=3):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.blocks = nn.ModuleList(Block(d) for _ in range(n_blocks))
        self.head = nn.Linear(d, n_out)

    def forward(self, x):
        h = self.inp(x)
        for blk in self.blocks:
            h = blk(h)
        return self.head(h)


model = Model().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3)
scaler = torch.amp.GradScaler("cpu", enabled=False)  # bf16 needs no scaling, the call pattern stays
X = torch.randn(24, 6)
Y = torch.randint(0, 3, (24,))
accum_steps = 2
max_grad_norm = 1.0
grad_norms = []
for step in range(8):
    xb, yb = X[(step % 3) * 8 : (step % 3) * 8 + 8], Y[(step % 3) * 8 : (step % 3) * 8 + 8]
    with torch.autocast(device_type=device, dtype=amp_dtype, enabled=use_amp):
        logits = model(xb)
        loss = F.cross_entropy(logits, yb) / accum_steps
    scaler.scale(loss).backward()
    if (step + 1) % accum_steps == 0:
        scaler.unscale_(optimizer)
        total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
        grad_norms.append(total_norm.item())
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        print(f"step {step + 1}: loss {loss.item() * accum_steps:.4f} ({logits.dtype}) grad norm {total_norm:.4f}")

print("clipped:", sum(n > max_grad_norm for n in grad_norms), "of", len(grad_norms))
with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
    eval_logits = model(X)
acc = (eval_logits.float().argmax(1) == Y).float().mean()
print(f"accuracy {acc.item():.3f}", eval_logits.dtype)
# clip by value on a fresh backward in full precision
optimizer.zero_grad()
full_loss = F.cross_entropy(model(X), Y)
full_loss.backward()
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.05)
