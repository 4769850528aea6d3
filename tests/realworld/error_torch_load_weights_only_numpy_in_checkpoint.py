# torch.load's weights_only=True default (torch 2.6+) refuses a checkpoint holding a numpy array and a custom object
import io
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn


@dataclass
class TrainState:
    epoch: int
    best: float


torch.manual_seed(53)
model = nn.Linear(2, 1)
loss = model(torch.randn(4, 2)).pow(2).mean()
loss.backward()
buffer = io.BytesIO()
torch.save({"model": model.state_dict(), "mean": np.array([0.5, 0.1]), "state": TrainState(3, loss.item())}, buffer)
buffer.seek(0)
safe = torch.load(io.BytesIO(buffer.getvalue()), weights_only=False)
print(sorted(safe), safe["state"].epoch, safe["model"]["bias"])
checkpoint = torch.load(
    buffer,
)
print("never printed", checkpoint)
