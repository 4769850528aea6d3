import os
import sys

import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
print("training quietly...")
sys.stdout = open(os.devnull, "w")        # silence a chatty helper
for step in range(3):
    loss = model(torch.randn(4, 3)).pow(2).mean()
    loss.backward()
    print("step", step, loss.item())
sys.stdout.close()
sys.stdout = sys.__stdout__               # restore
print("done, last loss", round(loss.item(), 4))
print(model[0].weight.grad.shape)
