# A custom optimizer class as papers' reference code writes it: Lion (sign of an interpolated momentum), with
# decoupled weight decay, state kept per parameter, @torch.no_grad() on step and a closure; compared with the
# same update written inline.
class Lion(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.mul_(1 - group["lr"] * group["weight_decay"])
                state = self.state[p]
                if len(state) == 0:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]
                beta1, beta2 = group["betas"]
                update = exp_avg * beta1 + p.grad * (1 - beta1)
                p.add_(torch.sign(update), alpha=-group["lr"])
                exp_avg.mul_(beta2).add_(p.grad, alpha=1 - beta2)
        return loss


torch.manual_seed(0)
model = nn.Linear(3, 2)
opt = Lion(model.parameters(), lr=0.01, weight_decay=0.1)
w_ref = model.weight.detach().clone().requires_grad_()
m_ref = torch.zeros_like(w_ref)
x, y = torch.randn(6, 3), torch.randn(6, 2)


def closure():
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    return loss


for step in range(3):
    loss = opt.step(closure)
    ref_loss = F.mse_loss(x @ w_ref.t() + model.bias.detach(), y)
    print(step, f"{loss.item():.4f}")
print(opt.state[model.weight]["exp_avg"])
print(model.weight)
