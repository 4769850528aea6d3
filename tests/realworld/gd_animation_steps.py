# gradient descent on f(x) = (x-3)^2 + 1, print every step like an animation frame
torch.manual_seed(0)
x = torch.tensor([-2.0], requires_grad=True)
lr = 0.2
history = []
for step in range(12):
    f = (x - 3) ** 2 + 1
    f.backward()
    print(f"step {step:2d}: x={x.item():+.4f} f={f.item():.4f} grad={x.grad.item():+.4f}")
    history.append(x.detach().clone())
    with torch.no_grad():
        x.sub_(lr * x.grad)
    x.grad.zero_()
trajectory = torch.cat(history)
print(trajectory)
print("final", x)
