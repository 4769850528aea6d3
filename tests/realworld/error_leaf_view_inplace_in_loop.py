import torch

params = torch.zeros(4, requires_grad=True)
for i in range(3):
    loss = ((params - i) ** 2).sum()
    loss.backward()
    print(i, params.grad)
    params[0] -= 0.1 * params.grad[0]
