import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),
            nn.Conv2d(4, 6, 3, padding=1), nn.ReLU(),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        x = self.features(x)
        x = self.pool(x).flatten(1)
        return self.fc(x)

model = SmallCNN().eval()
activations = {}
gradients = {}

def save_activation(module, inp, out):
    activations["value"] = out
    out.register_hook(lambda g: gradients.__setitem__("value", g))

handle = model.features[2].register_forward_hook(save_activation)
img = torch.randn(1, 3, 8, 8, requires_grad=True)
scores = model(img)
cls = scores.argmax(dim=1).item()
print("predicted class:", cls)
scores[0, cls].backward()

acts = activations["value"]
grads = gradients["value"]
weights = grads.mean(dim=(2, 3), keepdim=True)
cam = F.relu((weights * acts).sum(dim=1)).detach()
cam = cam / (cam.max() + 1e-8)
print("cam shape:", tuple(cam.shape))
print("cam max/min: %.4f %.4f" % (cam.max().item(), cam.min().item()))
handle.remove()
