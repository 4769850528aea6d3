# Reproducibility settings at the top of a training script: use_deterministic_algorithms, set_num_threads, a seed
# function for torch/random/numpy, two identical runs compared bit for bit.
import random

import numpy as np

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(seed):
    seed_everything(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.ReLU(), nn.Linear(8, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    data = torch.from_numpy(np.random.randn(10, 4).astype("float32"))
    order = list(range(10))
    random.shuffle(order)
    for i in order[:4]:
        loss = model(data[i : i + 1]).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, loss


model_a, loss_a = train(7)
model_b, loss_b = train(7)
print(torch.are_deterministic_algorithms_enabled(), torch.get_num_threads())
print("bitwise equal:", all(torch.equal(p, q) for p, q in zip(model_a.parameters(), model_b.parameters())))
print(loss_a.item() == loss_b.item(), f"{loss_a.item():.6f}")
