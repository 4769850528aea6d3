import numpy as np
import torch
import torch.nn as nn

model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
target = np.array([[1.0], [0.0]], dtype=np.float32)

out = model(x)
pred = out.detach().numpy()
loss_np = ((pred - target) ** 2).mean()
loss = torch.from_numpy(np.array(loss_np)).requires_grad_()
loss.backward()
print(model.weight.grad)
print(loss)
