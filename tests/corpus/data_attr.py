w = torch.tensor([1.0, -2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
for _ in range(2):
    loss = (w * x).sum() ** 2
    loss.backward()
    w.data -= 0.01 * w.grad.data
    w.grad.data.zero_()
print(w)
frozen = w.data
frozen[0] = 7.0
print(w.requires_grad, frozen.requires_grad, w)
