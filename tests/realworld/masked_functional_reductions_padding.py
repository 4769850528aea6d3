# The torch.masked functional reductions on a padded batch (mask= instead of multiplying by the mask): masked mean,
# amax and softmax per row, against the by-hand versions, and the gradient that reaches only the real entries.
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
lengths = torch.tensor([4, 2, 3])
mask = torch.arange(4)[None, :] < lengths[:, None]
mean = torch.masked.mean(x, dim=1, mask=mask)
amax = torch.masked.amax(x, dim=1, mask=mask)
soft = torch.masked.softmax(x, dim=1, mask=mask)
by_hand_mean = (x * mask).sum(1) / mask.sum(1)
print(torch.allclose(mean, by_hand_mean), amax.shape)
print(soft)
loss = mean.sum() + amax.sum() + soft[:, 0].sum()
loss.backward()
print(x.grad)
print("masked entries got zero:", bool((x.grad[~mask] == 0).all()))
