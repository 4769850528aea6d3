import numpy as np
import torch
import torch.nn as nn

np.random.seed(0)
X = torch.tensor(np.random.rand(10, 3), dtype=torch.float32)
y = torch.from_numpy(np.random.rand(10, 1))  # float64
model = nn.Linear(3, 1)
criterion = nn.MSELoss()
pred = model(X)
loss = criterion(pred, y)
print(loss.dtype)
loss.backward()
print(model.weight.grad)
