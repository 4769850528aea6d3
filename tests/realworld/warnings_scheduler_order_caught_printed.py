# A learner steps the scheduler before the optimizer; the snippet catches and prints the warnings itself.
import warnings
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
x, y = torch.randn(5, 3), torch.randn(5, 1)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for epoch in range(2):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        sched.step()  # wrong order on purpose
        opt.step()
        h = model(x).sum()
        _ = h.grad  # non-leaf .grad access warns
        t = torch.tensor(model.weight)  # copy-construct warning
for w in caught:
    print(f"{w.category.__name__}: {str(w.message)[:60]}")
print("lr now", sched.get_last_lr())
print("t is leaf:", t.is_leaf, "requires_grad:", t.requires_grad)
