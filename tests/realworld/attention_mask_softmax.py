import math
torch.manual_seed(3)
B, T, D = 2, 4, 8
x = torch.randn(B, T, D, requires_grad=True)
Wq = nn.Linear(D, D, bias=False)
Wk = nn.Linear(D, D, bias=False)
Wv = nn.Linear(D, D, bias=False)
q, k, v = Wq(x), Wk(x), Wv(x)
scores = q @ k.transpose(-2, -1) / math.sqrt(D)
mask = torch.tril(torch.ones(T, T)).bool()
scores = scores.masked_fill(~mask, float("-inf"))
attn = torch.softmax(scores, dim=-1)
out = attn @ v
loss = out.pow(2).mean()
loss.backward()
print(attn[0, 0])
print(x.grad.shape, Wq.weight.grad.abs().sum() > 0)
