# TorchScript functions in a loss (older repos' fused activations): their ops run in C++, so y came from no op,
# and the page called it a gradient of autograd.grad(create_graph=True).
@torch.jit.script
def fused_gelu(x):
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))

@torch.jit.script
def huber(a: torch.Tensor, b: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    d = (a - b).abs()
    return torch.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)).mean()

torch.manual_seed(0)
lin = nn.Linear(3, 3)
x = torch.randn(4, 3)
for i in range(3):
    y = fused_gelu(lin(x))
    loss = huber(y, torch.ones(4, 3), 0.5)
    lin.zero_grad()
    loss.backward()
print(y)
print(loss)
print(lin.weight.grad)
print(type(fused_gelu).__name__)
