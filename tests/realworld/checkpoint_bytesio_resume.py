import copy
import io

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)
X = torch.randn(20, 3)
Y = X @ torch.tensor([[1.0], [-1.0], [2.0]]) + 0.5


def make_model():
    return nn.Sequential(nn.Linear(3, 6), nn.SiLU(), nn.Dropout(0.0), nn.Linear(6, 1))


def train_steps(model, optimizer, scheduler, steps, start):
    losses = []
    for step in range(start, start + steps):
        idx = torch.arange(step * 4, step * 4 + 4) % len(X)
        optimizer.zero_grad()
        loss = F.mse_loss(model(X[idx]), Y[idx])
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(round(loss.item(), 5))
    return losses


# run A: 6 steps straight through
torch.manual_seed(0)
model_a = make_model()
init_state = copy.deepcopy(model_a.state_dict())
opt_a = torch.optim.Adam(model_a.parameters(), lr=0.02)
sched_a = torch.optim.lr_scheduler.ExponentialLR(opt_a, gamma=0.9)
losses_a = train_steps(model_a, opt_a, sched_a, 6, 0)
print("straight:", losses_a)

# run B: 3 steps, checkpoint to memory, new objects, load, 3 more steps
model_b = make_model()
model_b.load_state_dict(init_state)
opt_b = torch.optim.Adam(model_b.parameters(), lr=0.02)
sched_b = torch.optim.lr_scheduler.ExponentialLR(opt_b, gamma=0.9)
first = train_steps(model_b, opt_b, sched_b, 3, 0)
buffer = io.BytesIO()
torch.save(
    {
        "epoch": 3,
        "model_state_dict": model_b.state_dict(),
        "optimizer_state_dict": opt_b.state_dict(),
        "scheduler_state_dict": sched_b.state_dict(),
        "loss": first[-1],
    },
    buffer,
)
size = buffer.tell()
print("checkpoint bytes > 0:", size > 0)
del model_b, opt_b, sched_b

buffer.seek(0)
checkpoint = torch.load(buffer, weights_only=True)
model_c = make_model()
model_c.load_state_dict(checkpoint["model_state_dict"])
opt_c = torch.optim.Adam(model_c.parameters(), lr=0.02)
opt_c.load_state_dict(checkpoint["optimizer_state_dict"])
sched_c = torch.optim.lr_scheduler.ExponentialLR(opt_c, gamma=0.9)
sched_c.load_state_dict(checkpoint["scheduler_state_dict"])
start_epoch = checkpoint["epoch"]
print("resumed at", start_epoch, "loss was", checkpoint["loss"], "lr", round(sched_c.get_last_lr()[0], 6))
second = train_steps(model_c, opt_c, sched_c, 3, start_epoch)
print("resumed:", first + second)
print("same as straight:", first + second == losses_a)
for (name, p_a), p_c in zip(model_a.named_parameters(), model_c.parameters()):
    print(name, torch.allclose(p_a, p_c, atol=1e-6))

# only the weights, into a model in eval mode, and a state_dict with a missing key
weights = io.BytesIO()
torch.save(model_c.state_dict(), weights)
weights.seek(0)
inference_model = make_model()
inference_model.load_state_dict(torch.load(weights))
inference_model.eval()
partial = {k: v for k, v in model_c.state_dict().items() if not k.startswith("3.")}
result = make_model().load_state_dict(partial, strict=False)
print("missing:", result.missing_keys)
with torch.no_grad():
    preds = inference_model(X[:3])
print(preds.squeeze(1).round(decimals=3))
exp_avg = opt_c.state_dict()["state"][0]["exp_avg"]
