torch.manual_seed(73)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
log = []


def pre_hook(module, grad_output):
    log.append((type(module).__name__, tuple(grad_output[0].shape)))


def fwd_pre(module, args):
    log.append(("fwd", tuple(args[0].shape)))


handles = [m.register_full_backward_pre_hook(pre_hook) for m in model]
handles.append(model[0].register_forward_pre_hook(fwd_pre))
x = torch.randn(2, 3)
loss = model(x).sum()
loss.backward()
for h in handles:
    h.remove()
print(log)
print(model[0].weight.grad)
