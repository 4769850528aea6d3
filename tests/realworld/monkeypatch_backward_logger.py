_orig_backward = torch.Tensor.backward
calls = []
def logged_backward(self, *args, **kwargs):
    calls.append(tuple(self.shape))
    print("backward on", self.grad_fn.name(), "value", round(self.item(), 4))
    return _orig_backward(self, *args, **kwargs)
torch.Tensor.backward = logged_backward
try:
    torch.manual_seed(0)
    lin = nn.Linear(3, 1)
    x = torch.randn(4, 3)
    loss = lin(x).pow(2).mean()
    loss.backward()
    loss2 = lin(x).abs().sum()
    loss2.backward()
finally:
    torch.Tensor.backward = _orig_backward
print(calls, lin.weight.grad)
