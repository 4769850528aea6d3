# A buffer registered as None and filled on the first forward (lazy running statistics, as some normalisation
# layers do), a non-persistent cache buffer, and state_dict/load_state_dict round-tripping through io.BytesIO.
import io


class RunningScale(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.register_buffer("running_max", None)
        self.register_buffer("cache", torch.zeros(dim), persistent=False)
        self.scale = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        batch_max = x.detach().abs().amax(0)
        if self.running_max is None:
            self.running_max = batch_max.clone()
        else:
            self.running_max = torch.maximum(self.running_max, batch_max)
        self.cache.copy_(batch_max)
        return x / self.running_max * self.scale


torch.manual_seed(0)
layer = RunningScale(3)
print(list(layer.state_dict()))
for _ in range(2):
    y = layer(torch.randn(4, 3))
y.sum().backward()
buf = io.BytesIO()
torch.save(layer.state_dict(), buf)
buf.seek(0)
state = torch.load(buf)
copy_layer = RunningScale(3)
missing = copy_layer.load_state_dict(state, strict=False)
print(list(state), missing)
print(layer.running_max, copy_layer.running_max)
print(layer.scale.grad)
