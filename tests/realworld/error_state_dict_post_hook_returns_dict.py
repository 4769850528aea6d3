import torch
import torch.nn as nn

torch.manual_seed(24)
model = nn.Sequential(nn.Linear(3, 3), nn.Sigmoid(), nn.Linear(3, 1))


def scale_grad_output(module, grad_output):
    return (grad_output[0] * 10,)


handle = model[2].register_full_backward_pre_hook(scale_grad_output)
x = torch.randn(4, 3)
loss = model(x).mean()
loss.backward()
g_hooked = model[0].weight.grad.clone()
handle.remove()
model.zero_grad()
model(x).mean().backward()
print(torch.allclose(g_hooked, 10 * model[0].weight.grad))


def drop_bias(module, state_dict, prefix, local_metadata):
    state_dict.pop(prefix + "2.bias", None)
    return state_dict


model.register_state_dict_post_hook(drop_bias)
sd = model.state_dict()
print(list(sd))
