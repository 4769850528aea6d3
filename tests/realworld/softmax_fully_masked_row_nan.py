import torch

scores = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.1, 0.2]], requires_grad=True)
mask = torch.tensor([[True, False, True], [False, False, False]])
masked = scores.masked_fill(~mask, float("-inf"))
attn = masked.softmax(dim=-1)
print(attn)
safe = torch.nan_to_num(attn, nan=0.0)
values = torch.tensor([[1.0], [2.0], [3.0]])
out = safe @ values
out.sum().backward()
print(out)
print(scores.grad)
attn2 = masked.masked_fill(~mask.any(-1, keepdim=True), 0.0).softmax(-1)
print(attn2)
