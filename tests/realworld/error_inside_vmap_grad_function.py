from torch.func import grad, vmap

torch.manual_seed(257)
weights = torch.randn(3)


def sample_loss(w, x):
    pred = (w * x).sum()
    if x.dim() != 1:
        raise ValueError("expected one sample")
    return (pred - 1.0) ** 2


xs = torch.randn(4, 3)
per_sample = vmap(grad(sample_loss), in_dims=(None, 0))(weights, xs)
print(per_sample.shape)
bad = vmap(grad(sample_loss), in_dims=(None, 0))(weights, xs.unsqueeze(1).expand(4, 2, 3))
print(bad)
