# A notebook cell turned grad off globally and never turned it back on; training re-enables it locally
import torch

torch.set_grad_enabled(False)
torch.manual_seed(5)
w = torch.randn(3, requires_grad=True)
x = torch.randn(5, 3)
preview = (x @ w).tanh()
print(preview.requires_grad, preview.grad_fn)
with torch.enable_grad():
    loss = (x @ w).tanh().pow(2).mean()
    loss.backward()
print(loss.requires_grad, w.grad)
after = w * 2
print(after.requires_grad, torch.is_grad_enabled())
