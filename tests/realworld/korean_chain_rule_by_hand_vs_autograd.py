# 연쇄 법칙을 손으로 계산해 보고 autograd 결과와 비교하는 수업 예제입니다.
import torch

torch.manual_seed(67)

# 잎 텐서: requires_grad=True 로 만든 텐서는 계산 그래프의 시작점이 됩니다.
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor(0.5, requires_grad=True)

# 순전파: u = w·x, v = tanh(u), L = Σ v²
u = w * x
v = torch.tanh(u)
L = (v ** 2).sum()
u.retain_grad()
v.retain_grad()
print("잎 텐서인가?", x.is_leaf, w.is_leaf, u.is_leaf)
print("grad_fn:", type(L.grad_fn).__name__, type(v.grad_fn).__name__)

# 역전파: autograd 가 계산한 기울기
L.backward()

# 손으로 계산한 기울기 (연쇄 법칙)
dL_dv = 2 * v.detach()
dL_du = dL_dv * (1 - v.detach() ** 2)
dL_dx = dL_du * w.detach()
dL_dw = (dL_du * x.detach()).sum()
print("dL/dv 일치:", torch.allclose(v.grad, dL_dv))
print("dL/du 일치:", torch.allclose(u.grad, dL_du))
print("dL/dx:", x.grad, dL_dx)
print("dL/dw:", w.grad, dL_dw)

# 기울기는 누적되므로 다시 역전파하기 전에 0으로 초기화해야 합니다.
L2 = (torch.tanh(w * x) ** 2).sum()
L2.backward()
print("초기화하지 않으면 두 배:", torch.allclose(w.grad, 2 * dL_dw))
w.grad.zero_()
x.grad = None
L3 = (torch.tanh(w * x) ** 2).sum()
L3.backward()
print("초기화한 뒤:", w.grad, x.grad)
