from torch.optim.optimizer import register_optimizer_step_pre_hook, register_optimizer_step_post_hook

torch.manual_seed(5)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3)
norms = []


def before(optimizer, args, kwargs):
    total = torch.norm(torch.stack([p.grad.norm() for g in optimizer.param_groups for p in g["params"]]))
    norms.append(total.item())
    print(f"[pre ] {type(optimizer).__name__} grad norm {total:.5f}")


def after(optimizer, args, kwargs):
    print(f"[post] lr={optimizer.param_groups[0]['lr']}")


h1 = register_optimizer_step_pre_hook(before)
h2 = register_optimizer_step_post_hook(after)
x = torch.randn(8, 3)
y = x.sum(dim=1, keepdim=True)
for epoch in range(3):
    opt.zero_grad()
    pred = model(x)
    loss = F.mse_loss(pred, y)
    loss.backward()
    opt.step()
h1.remove()
h2.remove()
opt.zero_grad()
loss = F.mse_loss(model(x), y)
loss.backward()
opt.step()
print("recorded", len(norms), "norms")
print(model[0].weight)
