import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
x = torch.randn(3, 8)
fp32_out = model(x)
qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
print(qmodel)
with torch.no_grad():
    q_out = qmodel(x)
print("max abs diff", (fp32_out - q_out).abs().max().item() < 0.1)
loss = fp32_out.sum()
loss.backward()
print(model[0].weight.grad.shape)
