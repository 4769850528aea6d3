# 브로드캐스팅: (3, 1) 열과 (1, 4) 행을 곱하면 (3, 4) 격자가 됩니다.
# 역전파는 브로드캐스트된 차원을 따라 그래디언트를 다시 더합니다.
a = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
b = torch.tensor([[1.0, 10.0, 100.0, 1000.0]], requires_grad=True)
grid = a * b
total = grid.sum()
total.backward()

print(a.grad)  # 각 행은 b를 모두 더한 값: 1111
print(b.grad)  # 각 열은 a를 모두 더한 값: 6
