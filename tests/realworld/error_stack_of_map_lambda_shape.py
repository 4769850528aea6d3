# torch.stack over map(lambda ...) where one sample has another length: the error is raised by stack, on its line
import torch

torch.manual_seed(56)
samples = [torch.randn(n) for n in (4, 4, 3, 4)]
w = torch.randn(4, requires_grad=True)
scores = torch.stack(list(map(lambda s: (s * w[: len(s)]).sum(), samples)))
print(scores)
features = torch.stack(
    list(
        map(lambda s: torch.tanh(s * 2), samples)
    )
)
print(features)
