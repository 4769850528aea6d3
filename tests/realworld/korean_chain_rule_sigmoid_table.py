# 연쇄 법칙 확인: 시그모이드 뉴런 하나의 그래디언트를 손으로 구한 값과 자동 미분 값으로 비교합니다.
x = torch.tensor([0.5, -1.0, 2.0])
w = torch.tensor([0.3, 0.8, -0.5], requires_grad=True)
b = torch.tensor(0.1, requires_grad=True)
target = torch.tensor(1.0)

z = (w * x).sum() + b
y = torch.sigmoid(z)
loss = (y - target) ** 2
loss.backward()

dl_dy = 2 * (y - target)
dy_dz = y * (1 - y)
manual_w = dl_dy * dy_dz * x
manual_b = dl_dy * dy_dz
print(f"순전파: z = {z.item():.4f}, y = {y.item():.4f}, 손실 = {loss.item():.4f}")
print(f"{'변수':<6}{'손으로 구한 값':>16}{'자동 미분':>12}")
for i in range(3):
    print(f"w[{i}]  {manual_w[i].item():>16.6f}{w.grad[i].item():>12.6f}")
print(f"b     {manual_b.item():>16.6f}{b.grad.item():>12.6f}")
print("일치합니까?", torch.allclose(manual_w, w.grad) and torch.allclose(manual_b, b.grad))
