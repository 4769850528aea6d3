# copy.deepcopy of a model pruned with torch.nn.utils.prune (the hint spoke of a cached forward output and weight_norm).
import copy

import torch.nn.utils.prune as prune

torch.manual_seed(60)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
prune.random_unstructured(net[0], name="weight", amount=0.5)
clone = copy.deepcopy(net)
print(sorted(clone.state_dict().keys()))
x = torch.randn(2, 4)
print(torch.equal(clone(x), net(x)))
out = clone(x).sum()
out.backward()
print(clone[0].weight_orig.grad * clone[0].weight_mask)
plain = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
plain.load_state_dict(clone.state_dict())
