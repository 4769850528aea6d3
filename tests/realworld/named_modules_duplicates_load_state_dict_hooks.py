torch.manual_seed(0)
shared = nn.Linear(3, 3)
model = nn.Sequential(shared, nn.Tanh(), shared)
print([n for n, _ in model.named_modules()])
print([n for n, _ in model.named_modules(remove_duplicate=False)])
print([n for n, _ in model.named_parameters(remove_duplicate=False)])
print(len(list(model.parameters())), len(model.state_dict()))


def report(module, result):
    print("post hook:", sorted(result.missing_keys), sorted(result.unexpected_keys))


model.register_load_state_dict_post_hook(report)
state = {"0.weight": torch.eye(3), "0.bias": torch.zeros(3), "extra.weight": torch.ones(1)}
result = model.load_state_dict(state, strict=False)
print(result)
x = torch.randn(2, 3)
out = model(x)
out.sum().backward()
print(shared.weight.grad, model[2].weight is model[0].weight)
