입력 = torch.tensor([1.0, 2.0])
가중치 = torch.tensor([0.5, -1.0], requires_grad=True)
예측 = (입력 * 가중치).sum()
손실 = (예측 - 3.0) ** 2
손실.backward()
