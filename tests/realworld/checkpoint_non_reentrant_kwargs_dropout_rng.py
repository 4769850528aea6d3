from torch.utils.checkpoint import checkpoint

torch.manual_seed(3)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(5, 5)
        self.drop = nn.Dropout(0.3)

    def forward(self, x, scale=1.0, *, shift=None):
        h = self.drop(torch.relu(self.lin(x))) * scale
        return h if shift is None else h + shift


layers = nn.ModuleList(Layer() for _ in range(3))
x = torch.randn(2, 5, requires_grad=True)
bias = torch.zeros(5, requires_grad=True)
h = x
for i, layer in enumerate(layers):
    if i % 2 == 0:
        h = checkpoint(layer, h, 0.5, shift=bias, use_reentrant=False, preserve_rng_state=True)
    else:
        h = layer(h)
loss = h.square().sum()
loss.backward()
print(loss)
print(x.grad)
print(bias.grad)
print(layers[0].lin.weight.grad.sum())
