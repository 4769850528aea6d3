# 제자리(in-place) 연산은 텐서의 새 버전을 만들고, autograd는 그 버전을 추적합니다.
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.add_(1)        # y를 제자리에서 바꿈: 그래프에 새 버전이 생김
z = y.relu()
z.sum().backward()

print(x.grad)    # y > 0인 곳은 2, 나머지는 0
