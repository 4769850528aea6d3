from torch.utils.checkpoint import checkpoint
torch.manual_seed(0)
block = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 3))
x = torch.randn(2, 3, requires_grad=True)
y = checkpoint(block, x, use_reentrant=False)
loss = y.pow(2).sum()
loss.backward()
print(x.grad.shape)
