import torch

torch.manual_seed(0)
q = torch.randn(2, 4, 8)
k = torch.randn(2, 5, 8)
v = torch.randn(2, 6, 8)
scores = (q @ k.transpose(1, 2)) / 8 ** 0.5
print("scores", scores.shape)
attn = scores.softmax(-1)
out = (
    attn
    @ v
)
print(out.shape)
