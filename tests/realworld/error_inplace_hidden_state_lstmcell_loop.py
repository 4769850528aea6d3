import torch
import torch.nn as nn

torch.manual_seed(18)
cell = nn.LSTMCell(3, 4)
h = torch.zeros(2, 4)
c = torch.zeros(2, 4)
inputs = torch.randn(5, 2, 3)
outputs = []
for t in range(inputs.size(0)):
    h, c = cell(inputs[t], (h, c))
    outputs.append(h)
    h += 0.1 * torch.randn_like(h)  # "exploration noise" added in place
loss = torch.stack(outputs).pow(2).mean()
print("loss", loss.item() > 0)
loss.backward()
