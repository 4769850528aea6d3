from torch.func import grad, vmap
torch.manual_seed(0)
weights = torch.randn(3)
def loss(w, sample, target):
    return (sample @ w - target) ** 2
samples = torch.randn(4, 3)
targets = torch.randn(4)
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(weights, samples, targets)
print(per_sample.shape)
print(per_sample.sum(0))
