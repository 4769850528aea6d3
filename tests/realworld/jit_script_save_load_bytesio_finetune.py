import io

torch.manual_seed(0)


class Scaler(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.register_buffer("scale", torch.tensor(2.0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() > 0:
            return self.fc(x) * self.scale
        return self.fc(x)


scripted = torch.jit.script(Scaler())
print(scripted.code.strip().splitlines()[0])
buf = io.BytesIO()
torch.jit.save(scripted, buf)
buf.seek(0)
loaded = torch.jit.load(buf)
x = torch.randn(4, 3)
out = loaded(x)
loss = out.pow(2).mean()
loss.backward()
print(out)
print(loaded.fc.weight.grad)
print(sorted(k for k, _ in loaded.named_parameters()))
