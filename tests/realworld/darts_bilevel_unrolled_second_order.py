"""DARTS (Liu et al. 2019): mixed operations weighted by softmax(alpha), the architecture
gradient through a one-step unrolled model (second-order, finite-difference Hessian-vector product)."""
import copy

OPS = {
    "identity": lambda C: nn.Identity(),
    "linear": lambda C: nn.Linear(C, C),
    "tanh_linear": lambda C: nn.Sequential(nn.Linear(C, C), nn.Tanh()),
}


class MixedOp(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.ops = nn.ModuleList(f(C) for f in OPS.values())

    def forward(self, x, weights):
        return sum(w * op(x) for w, op in zip(weights, self.ops))


class Network(nn.Module):
    def __init__(self, C=4, n_cells=2):
        super().__init__()
        self.cells = nn.ModuleList(MixedOp(C) for _ in range(n_cells))
        self.alpha = nn.Parameter(1e-3 * torch.randn(n_cells, len(OPS)))
        self.head = nn.Linear(C, 1)

    def weights(self):
        return [p for n, p in self.named_parameters() if n != "alpha"]

    def forward(self, x):
        for cell, a in zip(self.cells, self.alpha):
            x = cell(x, F.softmax(a, dim=-1))
        return self.head(x)


def unrolled_alpha_grad(model, x_tr, y_tr, x_val, y_val, xi=0.01, r=0.01):
    unrolled = copy.deepcopy(model)
    loss_tr = F.mse_loss(model(x_tr), y_tr)
    grads = torch.autograd.grad(loss_tr, model.weights())
    with torch.no_grad():
        for w, g in zip(unrolled.weights(), grads):
            w.sub_(xi * g)
    loss_val = F.mse_loss(unrolled(x_val), y_val)
    loss_val.backward()
    dalpha = unrolled.alpha.grad.clone()
    vector = [w.grad for w in unrolled.weights()]
    eps = r / torch.cat([v.flatten() for v in vector]).norm()
    with torch.no_grad():
        for w, v in zip(model.weights(), vector):
            w.add_(eps * v)
    g_pos = torch.autograd.grad(F.mse_loss(model(x_tr), y_tr), model.alpha)[0]
    with torch.no_grad():
        for w, v in zip(model.weights(), vector):
            w.sub_(2 * eps * v)
    g_neg = torch.autograd.grad(F.mse_loss(model(x_tr), y_tr), model.alpha)[0]
    with torch.no_grad():
        for w, v in zip(model.weights(), vector):
            w.add_(eps * v)
    return dalpha - xi * (g_pos - g_neg) / (2 * eps)


torch.manual_seed(0)
model = Network()
w_opt = torch.optim.SGD(model.weights(), lr=0.05, momentum=0.9)
a_opt = torch.optim.Adam([model.alpha], lr=3e-2, betas=(0.5, 0.999))
x_tr, x_val = torch.randn(16, 4), torch.randn(16, 4)
f = lambda x: torch.tanh(x).sum(dim=1, keepdim=True)
y_tr, y_val = f(x_tr), f(x_val)

for epoch in range(3):
    a_opt.zero_grad()
    model.alpha.grad = unrolled_alpha_grad(model, x_tr, y_tr, x_val, y_val)
    a_opt.step()
    w_opt.zero_grad()
    loss = F.mse_loss(model(x_tr), y_tr)
    loss.backward()
    w_opt.step()
    genotype = [list(OPS)[i] for i in model.alpha.argmax(dim=-1).tolist()]
    print(f"epoch {epoch}: train {loss.item():.4f} genotype {genotype}")
print(F.softmax(model.alpha, dim=-1))
