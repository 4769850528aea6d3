# 고계 미분: create_graph=True로 1계 도함수의 그래프를 남겨 둡니다
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
dy_dx, = torch.autograd.grad(y, x, create_graph=True)   # 3x^2 = 12
dy_dx.backward()                                        # 3x^2을 x로 한 번 더 미분: 6x = 12

print(dy_dx.item(), x.grad.item())
