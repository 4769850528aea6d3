# plotting-style table of activation derivatives at grid points (0 and the kinks included)
torch.manual_seed(110)
acts = {
    "relu": nn.ReLU(),
    "relu6": nn.ReLU6(),
    "hardtanh": nn.Hardtanh(-2.0, 2.0),
    "elu": nn.ELU(alpha=0.5),
    "selu": nn.SELU(),
    "celu": nn.CELU(alpha=2.0),
    "softplus": nn.Softplus(beta=2.0, threshold=1.0),
    "leaky": nn.LeakyReLU(0.2),
    "gelu_tanh": nn.GELU(approximate="tanh"),
    "silu": nn.SiLU(),
    "mish": nn.Mish(),
    "hardswish": nn.Hardswish(),
    "hardsigmoid": nn.Hardsigmoid(),
    "logsigmoid": nn.LogSigmoid(),
    "softsign": nn.Softsign(),
    "tanhshrink": nn.Tanhshrink(),
    "softshrink": nn.Softshrink(0.5),
    "threshold": nn.Threshold(1.0, -1.0),
    "prelu": nn.PReLU(init=0.1),
}
grid = torch.linspace(-3, 3, 7)
table = {}
for name, act in acts.items():
    x = grid.clone().requires_grad_(True)
    y = act(x)
    (dy,) = torch.autograd.grad(y.sum(), x)
    table[name] = dy
    print(f"{name:>12}", " ".join(f"{v:+.3f}" for v in dy.tolist()))
x6 = torch.tensor([0.0, 6.0, 3.0, 7.0], requires_grad=True)
F.relu6(x6).sum().backward()
print(x6.grad)
