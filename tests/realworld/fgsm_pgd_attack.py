# FGSM from the PyTorch adversarial example tutorial + a PGD loop
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, kernel_size=3)
        self.fc1 = nn.Linear(3 * 3 * 3, 4)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = x.view(-1, 27)
        return F.log_softmax(self.fc1(x), dim=1)


def fgsm_attack(image, epsilon, data_grad):
    sign_data_grad = data_grad.sign()
    perturbed_image = image + epsilon * sign_data_grad
    perturbed_image = torch.clamp(perturbed_image, 0, 1)
    return perturbed_image


def pgd_attack(model, images, labels, eps=0.1, alpha=0.03, iters=3):
    ori_images = images.data
    for i in range(iters):
        images.requires_grad = True
        outputs = model(images)
        model.zero_grad()
        cost = F.nll_loss(outputs, labels)
        cost.backward()
        adv_images = images + alpha * images.grad.sign()
        eta = torch.clamp(adv_images - ori_images, min=-eps, max=eps)
        images = torch.clamp(ori_images + eta, min=0, max=1).detach_()
    return images


model = Net()
model.eval()
data = torch.rand(2, 1, 8, 8)
target = torch.tensor([1, 3])

data.requires_grad = True
output = model(data)
init_pred = output.max(1, keepdim=True)[1]
loss = F.nll_loss(output, target)
model.zero_grad()
loss.backward()
data_grad = data.grad.data
perturbed_data = fgsm_attack(data, 0.05, data_grad)
output = model(perturbed_data)
final_pred = output.max(1, keepdim=True)[1]
print("init", init_pred.squeeze().tolist(), "final", final_pred.squeeze().tolist())

adv = pgd_attack(model, data.detach().clone(), target)
print("linf", (adv - data).abs().max().item() <= 0.1 + 1e-6)
print(model(adv).exp().round(decimals=3))
