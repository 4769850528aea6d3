torch.manual_seed(53)
입력 = torch.randn(8, 2)
정답 = 입력 @ torch.tensor([[2.0], [-1.0]]) + 0.5
가중치 = torch.randn(2, 1, requires_grad=True)
편향 = torch.zeros(1, requires_grad=True)
학습률 = 0.1

for 에폭 in range(20):
    예측 = 입력 @ 가중치 + 편향
    손실 = ((예측 - 정답) ** 2).mean()
    손실.backward()
    with torch.no_grad():
        가중치 -= 학습률 * 가중치.grad
        편향 -= 학습률 * 편향.grad
    가중치.grad.zero_()
    편향.grad.zero_()
    if 에폭 % 10 == 0:
        print(f"에폭 {에폭}: 손실 = {손실.item():.4f}")

최종손실 = ((입력 @ 가중치 + 편향 - 정답) ** 2).mean()
최종손실.backward()
print("가중치:", 가중치.detach().squeeze().tolist())
print(가중치.grad)
