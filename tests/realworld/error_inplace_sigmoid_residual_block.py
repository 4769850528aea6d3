# 흔한 실수: sigmoid 출력에 in-place 연산 (backward에 필요한 값이 바뀜)
torch.manual_seed(92)
fc1 = nn.Linear(4, 4)
fc2 = nn.Linear(4, 4)
x = torch.randn(2, 4)
skip = fc2(x)
h = torch.sigmoid(fc1(x))
h += 1
out = h + skip
loss = out.pow(2).mean()
print(f"loss = {loss.item():.4f}")
loss.backward()
print("unreachable")
