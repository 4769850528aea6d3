# 간단한 회귀 예제 (블로그에서 복사)
import random

def make_data(n):
    # 데이터 생성: y = 2x + 1 + 잡음
    xs = torch.linspace(0, 1, n).unsqueeze(1)
    ys = 2 * xs + 1 + 0.01 * torch.randn(n, 1)
    return xs, ys

def train(model, xs, ys, epochs=20):
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    for epoch in range(epochs):
        loss = F.mse_loss(model(xs), ys)  # 손실 계산
        opt.zero_grad()
        loss.backward()  # 역전파
        opt.step()
        if (epoch + 1) % 5 == 0:
            print(f"에폭 {epoch + 1:02d} | 손실: {loss.item():.5f}")
    return loss

if __name__ == "__main__":
    torch.manual_seed(0)
    random.seed(0)
    xs, ys = make_data(10)
    model = nn.Linear(1, 1)
    final_loss = train(model, xs, ys)
    w, b = model.weight.item(), model.bias.item()
    print(f"가중치 = {w:.3f}, 편향 = {b:.3f}")
    pred = model(xs[:3])
    print("예측:", pred.squeeze().tolist() != [])
