import torch
import torch.nn as nn

torch.manual_seed(42)
model = nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
history = []


def log_lr(optimizer, args, kwargs):
    history.append(optimizer.param_groups[0]["lr"])


def check_finite(optimizer, args, kwargs):
    for group in optimizer.param_groups:
        for p in group["params"]:
            if not torch.isfinite(p).all():
                print("non-finite parameter!")


h1 = opt.register_step_pre_hook(log_lr)
h2 = opt.register_step_post_hook(check_finite)
opt.register_state_dict_pre_hook(lambda o: print("state_dict() called"))
opt.register_load_state_dict_post_hook(lambda o: print("loaded, lr is now", o.param_groups[0]["lr"]))
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)

X = torch.randn(8, 4)
Y = torch.randn(8, 2)
for epoch in range(5):
    opt.zero_grad()
    loss = nn.functional.smooth_l1_loss(model(X), Y, beta=0.5)
    loss.backward()
    opt.step()
    sched.step()
    if epoch == 2:
        h1.remove()
print("lrs seen:", history)
sd = opt.state_dict()
print(sd["param_groups"][0]["lr"], sd["state"][0]["momentum_buffer"].shape)
sd["param_groups"][0]["lr"] = 0.3
opt.load_state_dict(sd)
print(loss, model.weight.grad)
