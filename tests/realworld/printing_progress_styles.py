import sys
import torch
import torch.nn as nn

torch.manual_seed(8)
model = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))
print(model)
X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
y = torch.tensor([[0.], [1.], [1.], [0.]])
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
loss_fn = nn.MSELoss()
n_epochs = 4
for epoch in range(1, n_epochs + 1):
    pred = model(X)
    loss = loss_fn(pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    done = int(20 * epoch / n_epochs)
    sys.stdout.write("\r[" + "=" * done + " " * (20 - done) + f"] epoch {epoch}/{n_epochs} loss {loss.item():.5f}")
    sys.stdout.flush()
print()
print("Predictions:", end=" ")
for p in pred.detach().flatten():
    print(f"{p:.3f}", end=" ")
print()
print(f"{loss=}")
print(f"grad of last bias: {model[2].bias.grad}")
print(model[0].weight.grad, file=sys.stdout)
print(repr(pred[:2]))
