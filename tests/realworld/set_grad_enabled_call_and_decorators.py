torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
torch.set_grad_enabled(False)
a = w * 2
print(a.requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)
b = w * 2
@torch.no_grad()
def update(t):
    t -= 0.1 * t.grad
    return t.requires_grad
@torch.enable_grad()
def inner(t):
    return (t ** 2).sum()
with torch.no_grad():
    c = inner(w)
print(c.requires_grad)
c.backward()
print(update(w), w)
with torch.inference_mode(mode=False):
    d = w.exp().sum()
d.backward()
print(w.grad)
class Evaluator:
    @torch.inference_mode()
    def __call__(self, t):
        return t * 3
e = Evaluator()(w)
print(e.is_inference(), e.requires_grad)
