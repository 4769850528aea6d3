# Shapes checked without computing anything (torch._subclasses.FakeTensorMode, as a model-size calculator does),
# then the real model trained one step: nothing made under the fake mode may show values.
from torch._subclasses.fake_tensor import FakeTensorMode

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))
with FakeTensorMode(allow_non_fake_inputs=True) as mode:
    fake_x = torch.empty(5, 1, 8, 8)
    fake_out = model(fake_x)
    print("output shape:", tuple(fake_out.shape), type(fake_out).__name__)
x = torch.randn(5, 1, 8, 8)
out = model(x)
loss = out.logsumexp(1).mean()
loss.backward()
print(tuple(out.shape), f"{loss.item():.4f}")
print(model[3].bias.grad)
