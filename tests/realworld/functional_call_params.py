from torch.func import functional_call

torch.manual_seed(46)
model = nn.Linear(3, 1)
params = {name: p.detach().clone().requires_grad_() for name, p in model.named_parameters()}
x = torch.randn(4, 3)
y = torch.randn(4, 1)
inner_loss = F.mse_loss(functional_call(model, params, (x,)), y)
grads = torch.autograd.grad(inner_loss, list(params.values()), create_graph=True)
fast = {name: p - 0.1 * g for (name, p), g in zip(params.items(), grads)}
outer_loss = F.mse_loss(functional_call(model, fast, (x,)), y)
outer_loss.backward()
print(params["weight"].grad, params["bias"].grad)
print(model.weight.grad)
