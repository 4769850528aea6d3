class MaskedLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.raw = nn.Parameter(torch.randn(n_out, n_in) * 0.5)
        self.register_buffer("mask", torch.tril(torch.ones(n_out, n_in)))

    @property
    def weight(self):
        return self.raw * self.mask

    def forward(self, x):
        return x @ self.weight.T


torch.manual_seed(229)
layer = MaskedLinear(4, 3)
x = torch.randn(5, 4)
out = layer(x)
loss = out.pow(2).mean()
loss.backward()
effective = layer.weight
print(effective)
print(layer.raw.grad)
print(torch.all(layer.raw.grad[layer.mask == 0] == 0).item())
