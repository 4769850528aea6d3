class SignSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.0):
        defaults = dict(lr=lr, momentum=momentum)
        super().__init__(params, defaults)

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
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                buf = state["momentum_buffer"]
                buf.mul_(group["momentum"]).add_(p.grad)
                p.add_(buf.sign(), alpha=-group["lr"])
        return loss


torch.manual_seed(44)
model = nn.Linear(3, 1)
opt = SignSGD(model.parameters(), lr=0.1, momentum=0.5)
x, y = torch.randn(5, 3), torch.randn(5, 1)


def closure():
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    return loss


for i in range(3):
    loss = opt.step(closure)
    print(i, round(loss.item(), 5))
print(opt.state[model.weight]["momentum_buffer"])
print(model.weight, model.bias)
print(opt.state_dict()["param_groups"])
