import torch
import torch.nn as nn

torch.manual_seed(1)
model = nn.Sequential(
    nn.Conv2d(1, 2, 3, padding=1),
    nn.ReLU(inplace=True),
    nn.Conv2d(2, 2, 3, padding=1),
    nn.ReLU(inplace=True),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(2, 3),
)
gradients = []
activations = []


def save_grad(module, grad_input, grad_output):
    gradients.append(grad_output[0])


target_layer = model[2]
target_layer.register_forward_hook(lambda m, i, o: activations.append(o))
target_layer.register_full_backward_hook(save_grad)
image = torch.randn(1, 1, 5, 5)
scores = model(image)
print("predicted", scores.argmax().item())
scores[0, scores.argmax()].backward()
print(len(gradients))
