# 작은 MLP 분류기: 교차 엔트로피 손실에서 시작한 역전파가 모든 가중치에 그래디언트를 채웁니다
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
inputs = torch.randn(5, 4)
targets = torch.tensor([0, 2, 1, 1, 0])

logits = model(inputs)
loss = F.cross_entropy(logits, targets)
loss.backward()

print(f"loss: {loss.item():.4f}")
print(model[0].weight.grad.shape)
