# A buffer filled through several views (rows, a transpose, a diagonal, a strided slice), with retain_grad on views,
# then two backward passes with retain_graph: the values and gradients each alias sees
import torch

torch.manual_seed(60)
w = torch.randn(3, 3, requires_grad=True)
buf = torch.zeros(4, 4)
top = buf[:3, :3]
top.copy_(w * 2)
col = buf[:, 3]
col.add_(w.sum(0).repeat(2)[:4])
diag = buf.diagonal()
diag.mul_(torch.tensor([1.0, -1.0, 2.0, 0.5]))
every_other = buf.t()[::2]
every_other.clamp_(min=-1.5, max=1.5)
top.retain_grad()
buf.retain_grad()
score = (buf ** 2).sum() + buf[0].prod()
score.backward(retain_graph=True)
first_w_grad = w.grad.clone()
print(buf)
print(top.grad, col.grad)
w.grad = None
(buf.sum() * 3).backward(inputs=[w])
print(first_w_grad, w.grad)
print(buf.grad)
