import torch
import torch.nn as nn

torch.manual_seed(13)
model = nn.Linear(4, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)
warmup = lambda step: min(1.0, (step + 1) / 2)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=warmup)
accumulation_steps = 2
X, Y = torch.randn(8, 4), torch.randint(0, 2, (8,))
optimizer.zero_grad(set_to_none=False)
for i in range(4):
    xb, yb = X[2 * i: 2 * i + 2], Y[2 * i: 2 * i + 2]
    loss = nn.functional.cross_entropy(model(xb), yb) / accumulation_steps
    loss.backward()
    if (i + 1) % accumulation_steps == 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=False)
        print(f"update after micro-batch {i}, lr now {scheduler.get_last_lr()}")
print(model.weight.grad)
print(model.bias)
