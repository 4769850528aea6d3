# "Learning PyTorch with Examples": numpy, tensors, autograd, nn, optim, one script
import math
import numpy as np

np.random.seed(0)
torch.manual_seed(0)

x_np = np.linspace(-math.pi, math.pi, 200)
y_np = np.sin(x_np)
a, b, c, d = np.random.randn(), np.random.randn(), np.random.randn(), np.random.randn()
learning_rate = 1e-6
for t in range(300):
    y_pred_np = a + b * x_np + c * x_np ** 2 + d * x_np ** 3
    loss_np = np.square(y_pred_np - y_np).sum()
    if t % 100 == 99:
        print("numpy", t, round(float(loss_np), 4))
    grad_y_pred = 2.0 * (y_pred_np - y_np)
    a -= learning_rate * grad_y_pred.sum()
    b -= learning_rate * (grad_y_pred * x_np).sum()
    c -= learning_rate * (grad_y_pred * x_np ** 2).sum()
    d -= learning_rate * (grad_y_pred * x_np ** 3).sum()

x = torch.linspace(-math.pi, math.pi, 200)
y = torch.sin(x)
a = torch.randn((), requires_grad=True)
b = torch.randn((), requires_grad=True)
c = torch.randn((), requires_grad=True)
d = torch.randn((), requires_grad=True)
for t in range(300):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print("autograd", t, f"{loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
loss_fn = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
for t in range(200):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 50 == 49:
        print("optim", t, round(loss.item(), 3))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
linear_layer = model[0]
print(f"Result: y = {linear_layer.bias.item():.3f} + {linear_layer.weight[:, 0].item():.3f} x")
