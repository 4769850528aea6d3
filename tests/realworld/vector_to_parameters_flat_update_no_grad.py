# A flat-vector update with parameters_to_vector / vector_to_parameters under torch.no_grad() (model.weight, whose
# .data vector_to_parameters replaced, was said to be created under no_grad).
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(70)
model = nn.Linear(3, 2)
x, y = torch.randn(5, 3), torch.randn(5, 2)
loss = F.mse_loss(model(x), y)
grads = torch.autograd.grad(loss, list(model.parameters()))
theta = parameters_to_vector(model.parameters())
g = parameters_to_vector(grads)
with torch.no_grad():
    vector_to_parameters(theta - 0.1 * g, model.parameters())
print(model.bias)
print(theta.shape, theta.requires_grad)
loss2 = F.mse_loss(model(x), y)
loss2.backward()
print(model.weight.grad)
