import torch

g = torch.Generator().manual_seed(1234)
state = g.get_state()

x = torch.linspace(-1, 1, 8, requires_grad=True)
keep = 0.5
mask1 = torch.bernoulli(torch.full((8,), keep), generator=g)
y1 = x * mask1 / keep
g.set_state(state)                      # replay the same mask for the recompute
mask2 = torch.bernoulli(torch.full((8,), keep), generator=g)
y2 = x * mask2 / keep
print("same mask:", torch.equal(mask1, mask2))
noise = torch.randn(8, generator=g)
perm = torch.randperm(8, generator=g)
(y1.sum() + (y2 * noise).sum() + x[perm].cumsum(0).sum()).backward()
print(mask1, perm)
print(x.grad)
print(g.initial_seed(), torch.initial_seed() != 1234)
