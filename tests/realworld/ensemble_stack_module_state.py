import copy
from torch.func import stack_module_state, functional_call

torch.manual_seed(0)


class SimpleMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        x = x.flatten(1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        return x


num_models = 3
data = torch.randn(5, 2, 3)
models = [SimpleMLP() for _ in range(num_models)]
minibatch = data[:2]
predictions_diff_minibatch_loop = [model(minibatch) for model in models]

params, buffers = stack_module_state(models)
base_model = copy.deepcopy(models[0])
base_model = base_model.to('meta')


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


predictions2_vmap = torch.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
print(predictions2_vmap.shape)
print(torch.allclose(predictions2_vmap, torch.stack(predictions_diff_minibatch_loop), atol=1e-3, rtol=1e-5))
loss = predictions2_vmap.pow(2).mean()
loss.backward()
print(params['fc2.bias'].grad)
