import torch
import torch.nn as nn

x = torch.randn(16, 3)
y = x @ torch.tensor([[1.0], [2.0], [-1.0]])
for name, lr in [("sgd", 0.1), ("adam", 0.05)]:
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=lr) if name == "sgd" else torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(80):
        pred = model(x)
        loss = nn.functional.mse_loss(pred, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(name, f"{loss.item():.5f}")
print(pred[:2], loss)
