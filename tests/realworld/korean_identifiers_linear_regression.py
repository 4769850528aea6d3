# 한글 변수 이름으로 쓴 선형 회귀 (수업 자료 방식)
torch.manual_seed(5)
입력 = torch.linspace(0, 1, 8).unsqueeze(1)
정답 = 3 * 입력 + 0.5 + 0.05 * torch.randn_like(입력)
가중치 = torch.zeros(1, requires_grad=True)
편향 = torch.zeros(1, requires_grad=True)
학습률 = 0.5
for 단계 in range(30):
    예측 = 입력 * 가중치 + 편향
    손실 = ((예측 - 정답) ** 2).mean()
    손실.backward()
    with torch.no_grad():
        가중치 -= 학습률 * 가중치.grad
        편향 -= 학습률 * 편향.grad
    if 단계 % 10 == 9:
        print(f"{단계 + 1}단계: 손실 {손실.item():.5f}, 가중치 {가중치.item():.4f}, 편향 {편향.item():.4f}")
    가중치.grad.zero_()
    편향.grad.zero_()
print("기울기(마지막):", 가중치.grad, 편향.grad)
