from torch.func import functional_call, grad
torch.manual_seed(0)
model = nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
data = torch.randn(5, 3)
target = torch.randn(5, 1)
def compute_loss(p, x, t):
    return F.mse_loss(functional_call(model, p, (x,)), t)
grads = grad(compute_loss)(params, data, target)
print(sorted(grads))
print(grads["bias"])
