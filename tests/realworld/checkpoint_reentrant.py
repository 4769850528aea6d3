from torch.utils.checkpoint import checkpoint

torch.manual_seed(44)
block = nn.Sequential(nn.Linear(4, 4), nn.GELU(), nn.Linear(4, 4))
head = nn.Linear(4, 1)
x = torch.randn(3, 4, requires_grad=True)
h = checkpoint(block, x, use_reentrant=True)
out = head(h).sum()
out.backward()
print(x.grad)
print(block[0].bias.grad)
