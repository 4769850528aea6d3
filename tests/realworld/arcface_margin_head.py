# ArcFace / CosFace margin heads (face recognition repos), chosen with a match statement
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(12)


class MarginHead(nn.Module):
    def __init__(self, in_features, out_features, s=8.0, m=0.3, kind="arc", easy_margin=False):
        super().__init__()
        self.s, self.m, self.kind = s, m, kind
        self.weight = nn.Parameter(torch.FloatTensor(out_features, in_features))
        nn.init.xavier_uniform_(self.weight)
        self.easy_margin = easy_margin
        self.cos_m = math.cos(m)
        self.sin_m = math.sin(m)
        self.th = math.cos(math.pi - m)
        self.mm = math.sin(math.pi - m) * m

    def forward(self, input, label):
        cosine = F.linear(F.normalize(input), F.normalize(self.weight))
        match self.kind:
            case "arc":
                sine = torch.sqrt((1.0 - torch.pow(cosine, 2)).clamp(0, 1))
                phi = cosine * self.cos_m - sine * self.sin_m
                if self.easy_margin:
                    phi = torch.where(cosine > 0, phi, cosine)
                else:
                    phi = torch.where(cosine > self.th, phi, cosine - self.mm)
            case "cos":
                phi = cosine - self.m
            case other:
                raise ValueError(other)
        one_hot = torch.zeros(cosine.size(), device="cpu")
        one_hot.scatter_(1, label.view(-1, 1).long(), 1)
        output = (one_hot * phi) + ((1.0 - one_hot) * cosine)
        output *= self.s
        return output


backbone = nn.Sequential(nn.Linear(5, 4), nn.PReLU())
features = torch.randn(6, 5)
labels = torch.tensor([0, 1, 2, 0, 1, 2])
for kind in ("arc", "cos"):
    head = MarginHead(4, 3, kind=kind)
    emb = backbone(features)
    logits = head(emb, labels)
    loss = F.cross_entropy(logits, labels)
    backbone.zero_grad()
    loss.backward()
    print(kind, round(loss.item(), 4), head.weight.grad.norm().item() > 0)
try:
    MarginHead(4, 3, kind="sphere")(emb, labels)
except ValueError as err:
    print("unknown head:", err)
print(backbone[1].weight.grad)
