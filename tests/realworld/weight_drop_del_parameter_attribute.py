class WeightDrop(nn.Module):
    def __init__(self, module, name="weight", p=0.5):
        super().__init__()
        self.module, self.name, self.p = module, name, p
        w = getattr(module, name)
        del module._parameters[name]
        module.register_parameter(name + "_raw", nn.Parameter(w.data))

    def forward(self, x):
        raw = getattr(self.module, self.name + "_raw")
        mask = F.dropout(torch.ones_like(raw), p=self.p, training=self.training)
        setattr(self.module, self.name, raw * mask)
        return self.module(x)


torch.manual_seed(73)
layer = WeightDrop(nn.Linear(3, 2), p=0.5)
x = torch.randn(4, 3)
out = layer(x)
loss = out.pow(2).sum()
loss.backward()
print(layer.module.weight)
print(layer.module.weight_raw.grad)
layer.eval()
print(layer(x))
