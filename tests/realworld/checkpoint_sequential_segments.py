from torch.utils.checkpoint import checkpoint_sequential

torch.manual_seed(54)
model = nn.Sequential(*[nn.Sequential(nn.Linear(4, 4), nn.GELU()) for _ in range(4)])
x = torch.randn(3, 4, requires_grad=True)
out = checkpoint_sequential(model, 2, x, use_reentrant=False)
loss = out.pow(2).sum()
loss.backward()
g_ckpt = x.grad.clone()
x.grad = None
model.zero_grad()
ref = model(x).pow(2).sum()
ref.backward()
print(torch.allclose(g_ckpt, x.grad), torch.allclose(loss, ref))
print(model[0][0].weight.grad)
