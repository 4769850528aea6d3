# A debugging session that wants every warning, every time: simplefilter("always") with stderr sent to stdout,
# inside a loop whose loss broadcasts and whose model reads a non-leaf .grad; then the default again after a
# catch_warnings block, which shows each warning once more
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.stderr = sys.stdout
torch.manual_seed(69)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(4, 2), torch.randn(4)
with warnings.catch_warnings():
    warnings.simplefilter("always")
    for step in range(2):
        out = model(x)
        loss = F.mse_loss(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(step, out.grad, f"{loss.item():.4f}")
for step in range(2):
    loss = F.mse_loss(model(x), y)
    print("default", step, f"{loss.item():.4f}")
