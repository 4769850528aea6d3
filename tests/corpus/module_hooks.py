torch.manual_seed(0)
layer = nn.Linear(3, 2)
shapes = []
def remember(module, args, output):
    shapes.append(tuple(output.shape))
def scale_input(module, args):
    return (args[0] * 2,)
grads = []
def backward_hook(module, grad_input, grad_output):
    grads.append(grad_output[0].detach().clone())
layer.register_forward_hook(remember)
layer.register_forward_pre_hook(scale_input)
layer.register_full_backward_hook(backward_hook)
inputs = torch.ones(4, 3, requires_grad=True)
out = layer(inputs).sum()
out.backward()
print(shapes, grads[0].shape)
print(inputs.grad)
