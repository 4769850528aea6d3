class 간단한모델(nn.Module):
    def __init__(self):
        super().__init__()
        self.은닉층 = nn.Linear(2, 4)
        self.출력층 = nn.Linear(4, 1)

    def forward(self, 입력값):
        중간 = torch.relu(self.은닉층(입력값))
        return self.출력층(중간)


torch.manual_seed(96)
모델 = 간단한모델()
최적화기 = torch.optim.Adam(모델.parameters(), lr=0.05)
데이터 = torch.randn(8, 2)
목표 = (데이터[:, :1] > 0).float()
for 단계 in range(3):
    최적화기.zero_grad()
    출력 = 모델(데이터)
    손실 = F.binary_cross_entropy_with_logits(출력, 목표)
    손실.backward()
    최적화기.step()
    print(f"단계 {단계}: 손실 {손실.item():.4f} ✓")
print("은닉층 기울기:", 모델.은닉층.bias.grad)
