w = torch.tensor([1.0, 2.0], requires_grad=True)
def sgd_in_backward(p):
    with torch.no_grad():
        p.add_(p.grad, alpha=-0.1)
    p.grad = None
w.register_post_accumulate_grad_hook(sgd_in_backward)
for _ in range(2):
    loss = (w * w).sum()
    loss.backward()
print(w)
