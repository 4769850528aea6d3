# Model surgery: build without init, init by hand, then swap a submodule by its dotted path
torch.manual_seed(7)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))

    def forward(self, x):
        return self.layers(x)


enc = Encoder()
lin = torch.nn.utils.skip_init(nn.Linear, 4, 4)
nn.init.orthogonal_(lin.weight, gain=nn.init.calculate_gain("relu"))
nn.init.zeros_(lin.bias)
print(torch.allclose(lin.weight @ lin.weight.T, 2 * torch.eye(4), atol=1e-5))
enc.set_submodule("layers.0", lin)
print(enc.get_submodule("layers.0") is lin)
w = enc.get_parameter("layers.2.weight")

x = torch.randn(5, 4)
out = enc(x)
loss = out.pow(2).mean()
loss.backward()
print(w.grad)
print(enc.layers[0].weight.grad.abs().sum())
for name, p in enc.named_parameters():
    print(f"{name:18s} {tuple(p.shape)!s:8} {p.grad.norm():.4f}")
