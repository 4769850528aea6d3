# Learning-rate range test (fastai / leslie smith style) with smoothing and early break
import copy
import math
import torch
import torch.nn as nn

torch.manual_seed(21)


class StopRangeTest(Exception):
    pass


model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
init_state = copy.deepcopy(model.state_dict())
criterion = nn.MSELoss()
X = torch.randn(32, 2)
Y = (X[:, :1] * 3 - X[:, 1:] * 2).detach()

start_lr, end_lr, num_iter = 1e-4, 10.0, 30
optimizer = torch.optim.SGD(model.parameters(), lr=start_lr)
gamma = (end_lr / start_lr) ** (1 / num_iter)
history = {"lr": [], "loss": []}
best_loss = None
avg_loss = 0.0
beta = 0.7
iteration = 0


def batches():
    while True:
        perm = torch.randperm(X.size(0))
        for i in range(0, X.size(0), 8):
            idx = perm[i:i + 8]
            yield X[idx], Y[idx]


data_iter = batches()
try:
    while iteration < num_iter:
        iteration += 1
        inputs, labels = next(data_iter)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        avg_loss = beta * avg_loss + (1 - beta) * loss.item()
        smoothed_loss = avg_loss / (1 - beta ** iteration)
        if best_loss is None or smoothed_loss < best_loss:
            best_loss = smoothed_loss
        if iteration > 1 and (smoothed_loss > 4 * best_loss or math.isnan(smoothed_loss)):
            raise StopRangeTest(f"diverged at iteration {iteration}")
        history["lr"].append(optimizer.param_groups[0]["lr"])
        history["loss"].append(smoothed_loss)
        loss.backward()
        optimizer.step()
        for g in optimizer.param_groups:
            g["lr"] *= gamma
except StopRangeTest as e:
    print("stopped:", e)

min_idx = min(range(len(history["loss"])), key=history["loss"].__getitem__)
print("iters", len(history["lr"]), "suggested lr", f"{history['lr'][min_idx] / 10:.2e}")
model.load_state_dict(init_state)
print(model[0].weight)
