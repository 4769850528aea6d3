import torch
import torch.nn as nn

torch.manual_seed(7)
모델 = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
입력 = torch.randn(10, 2)
정답 = (입력[:, :1] * 2 - 입력[:, 1:]).detach()
최적화기 = torch.optim.SGD(모델.parameters(), lr=0.1)
print(f"{'에폭':^6}|{'손실':^10}|{'기울기 크기':^12}")
print("-" * 30)
for 에폭 in range(4):
    예측 = 모델(입력)
    손실 = ((예측 - 정답) ** 2).mean()
    최적화기.zero_grad()
    손실.backward()
    크기 = sum(p.grad.norm() ** 2 for p in 모델.parameters()) ** 0.5
    최적화기.step()
    print(f"{에폭:^6}|{손실.item():^10.4f}|{크기.item():^12.4f}")
print("학습 완료! 최종 가중치:", 모델[0].weight.data[0])
print("손실 텐서:", 손실)
