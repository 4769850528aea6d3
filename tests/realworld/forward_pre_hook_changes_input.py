torch.manual_seed(85)
layer = nn.Linear(2, 2)


def normalise_input(module, args):
    (inp,) = args
    return (inp / inp.norm(dim=1, keepdim=True),)


def log_output(module, args, output):
    print("out mean", round(output.mean().item(), 4))


layer.register_forward_pre_hook(normalise_input)
layer.register_forward_hook(log_output)
data = torch.tensor([[3.0, 4.0], [1.0, 0.0]], requires_grad=True)
y = layer(data)
y.pow(2).sum().backward()
print(y)
print(data.grad)
