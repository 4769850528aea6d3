import torch
import torch.nn as nn

if __name__ == "__main__":
    class 분류기(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 3)

        def forward(self, x):
            return self.fc(x)

    torch.manual_seed(0)
    모델 = 분류기()
    입력 = torch.randn(2, 4)
    정답 = torch.tensor([0, 2])
    손실 = nn.functional.cross_entropy(모델(입력), 정답)
    print(f"손실: {손실.item():.4f}")
    손실.backward()
    with torch.no_grad():
        예측 = 모델(입력)
    예측_손실 = nn.functional.cross_entropy(예측, 정답)
    print("예측 손실에 기울기가 필요한가?", 예측_손실.requires_grad)
    예측_손실.backward()
