import torch

xy = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([xy], lr=1, max_iter=20, line_search_fn="strong_wolfe")
calls = 0

def closure():
    global calls
    calls += 1
    opt.zero_grad()
    x, y = xy[0], xy[1]
    loss = (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
    loss.backward()
    return loss

for outer in range(3):
    loss = opt.step(closure)
    print(outer, f"{loss.item():.6f}")
print("closure calls", calls)
print(xy)
