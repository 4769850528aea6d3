# 가장 좋았던 파라미터로 되돌리기 (이름을 예전 텐서에 다시 묶음)
torch.manual_seed(83)
x_data = torch.linspace(-1, 1, 8)
y_data = 3 * x_data - 1 + 0.1 * torch.randn(8)
w = torch.zeros(2, requires_grad=True)
best_w, best_loss = w, float("inf")
history = []
for step in range(5):
    pred = w[0] * x_data + w[1]
    loss = F.mse_loss(pred, y_data)
    grad, = torch.autograd.grad(loss, w)
    history.append(loss.detach())
    if loss.item() < best_loss:
        best_w, best_loss = w, loss.item()
    w = (w - 0.9 * grad).detach().requires_grad_()
    print(step, f"{loss.item():.4f}")
print("last w norm:", w.detach().norm())
w = best_w
final = F.mse_loss(w[0] * x_data + w[1], y_data)
final.backward()
print(w, w.grad)
print(torch.stack(history))
