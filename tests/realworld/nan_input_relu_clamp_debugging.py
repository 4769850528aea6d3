# "Why is my grad nan?": a feature came in as NaN (a division by a zero count upstream), and the grads after relu,
# clamp and maximum are inspected entry by entry.
import torch
import torch.nn.functional as F

counts = torch.tensor([2.0, 0.0, 4.0, 1.0])
sums = torch.tensor([1.0, 0.0, -2.0, 3.0])
feat = (sums / counts).requires_grad_()  # 0/0: nan in entry 1
print("feat:", feat)
print("nan in feat?", torch.isnan(feat).any().item(), torch.isnan(feat).nonzero().flatten().tolist())

act = torch.relu(feat)
act.sum().backward()
print("relu grad:", feat.grad, "nan in grad?", torch.isnan(feat.grad).any().item())
feat.grad = None

clipped = feat.clamp(min=0.0, max=2.0)
clipped.sum().backward()
print("clamp grad:", feat.grad, "nan in grad?", torch.isnan(feat.grad).any().item())
feat.grad = None

floor = torch.full((4,), 0.25, requires_grad=True)
safe = torch.maximum(feat, floor)
(safe * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print("maximum grads:", feat.grad, floor.grad)
print("nan in output?", torch.isnan(safe).tolist())

# the fix people try: nan_to_num before the activation, then relu6 and hardtanh as the layer would
fixed = torch.nan_to_num(feat.detach(), nan=0.0).requires_grad_()
out = F.relu6(fixed * 4) + F.hardtanh(fixed) + F.threshold(fixed, 0.1, 0.0)
out.sum().backward()
print("after nan_to_num:", fixed.grad, torch.isnan(fixed.grad).any().item())

raw = feat.detach().clone().requires_grad_()
loss = (F.relu6(raw * 4) + F.hardtanh(raw) + F.threshold(raw, 0.1, 0.0) + F.leaky_relu(raw)).sum()
loss.backward()
print("without it:", raw.grad, torch.isnan(loss).item(), torch.isnan(raw.grad).tolist())
