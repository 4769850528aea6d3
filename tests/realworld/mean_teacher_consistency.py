import copy
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(15)
student = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
teacher = copy.deepcopy(student).requires_grad_(False)
opt = torch.optim.Adam(student.parameters(), lr=1e-2)
labeled_x, labeled_y = torch.randn(4, 5), torch.tensor([0, 1, 2, 1])
unlabeled = torch.randn(6, 5)
for step in range(3):
    sup = F.cross_entropy(student(labeled_x), labeled_y)
    noisy = unlabeled + 0.05 * torch.randn_like(unlabeled)
    cons = F.mse_loss(F.softmax(student(noisy), 1), F.softmax(teacher(unlabeled), 1))
    loss = sup + 2.0 * cons
    opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        for tp, sp in zip(teacher.parameters(), student.parameters()):
            tp.mul_(0.95).add_(0.05 * sp)
    print(step, f"sup={sup.item():.4f} cons={cons.item():.5f}")
