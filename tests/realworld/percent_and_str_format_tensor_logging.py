import torch
import torch.nn.functional as F

torch.manual_seed(6)
w = torch.randn(3, 2, requires_grad=True)
x = torch.randn(5, 3)
y = torch.tensor([0, 1, 1, 0, 1])
for epoch in range(3):
    logits = x @ w
    loss = F.cross_entropy(logits, y)
    acc = (logits.argmax(1) == y).float().mean()
    loss.backward()
    print("epoch %d loss %.4f acc %5.1f%%" % (epoch, loss, 100 * acc))
    print("{:>3d} | {:8.5f} | {:.2e}".format(epoch, loss.item(), w.grad.norm()))
    print(format(loss.item(), ".3f"), format(acc, ".2f"))
    with torch.no_grad():
        w -= 0.5 * w.grad
    w.grad.zero_()
print("%s" % w.grad)
print("%r" % (loss,))
