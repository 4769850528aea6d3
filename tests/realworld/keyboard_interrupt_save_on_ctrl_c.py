import torch
import torch.nn as nn

model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(4, 2)
step = 0
try:
    while True:
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step == 5:
            raise KeyboardInterrupt
except KeyboardInterrupt:
    print(f"interrupted at step {step}, saving checkpoint")
    state = {k: v.clone() for k, v in model.state_dict().items()}
print(state["bias"], loss.item())
