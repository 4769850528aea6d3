import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.Linear(16, 4))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
accumulation_steps = 4
data = torch.randn(16, 8)
target = torch.randint(0, 4, (16,))
optimizer.zero_grad()
for i in range(8):
    xb = data[(i * 2) % 16:(i * 2) % 16 + 2]
    yb = target[(i * 2) % 16:(i * 2) % 16 + 2]
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        output = model(xb)
        loss = criterion(output, yb)
    print(i, output.dtype, loss.dtype)
    loss = loss / accumulation_steps
    loss.backward()
    if (i + 1) % accumulation_steps == 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        print(f"step after {i+1} micro-batches, loss {loss.item() * accumulation_steps:.4f}")
print(model[0].weight.dtype, model[0].weight.grad)
